"""Pinyin syllables: is a romanised word a run of Mandarin syllables, and do two such words name the same
syllables?

"Zhongtai" and "Zhongtian", "Dafeng" and "Daheng" are a letter apart but are different syllables, so
different characters and, in a company name, a different company; a misspelling such as "Hoshin" or
"Tiasnhan" is no run of syllables at all. The scorer uses this to keep near-spellings of pinyin words out
of the strong band (scoring.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

# The 418 toneless readings of pypinyin's character dictionary (`pypinyin.pinyin_dict`, ü written u),
# without the consonant-only interjections (m, n, ng, hm, hng); tests/screening/test_pinyin_syllables.py
# derives the set again from pypinyin and compares.
SYLLABLES: Final[frozenset[str]] = frozenset("""
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can
    cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan
    chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian
    diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou
    fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao
    he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong
    jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la
    lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lue lun luo
    ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei
    nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nue nun nuo o ou pa pai pan pang pao
    pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan
    que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha
    shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou
    su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
    wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya
    yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai
    zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong
    zou zu zuan zui zun zuo
""".split())
_LONGEST: Final = max(map(len, SYLLABLES))
# Initials and finals that speakers and typists of some regions do not tell apart (zh/z, ch/c, sh/s,
# -ng/-n): "Xingjiang" for Xinjiang, "Shenzen" for Shenzhen are the same name misspelt.
_INITIALS: Final = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_DOUBLED: Final = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def syllables(word: str) -> tuple[str, ...] | None:
    """The word as the fewest pinyin syllables ("tianshan" -> tian, shan), or None if it is not pinyin."""
    size = len(word)
    best: list[tuple[str, ...] | None] = [None] * (size + 1)
    best[size] = ()
    for start in range(size - 1, -1, -1):
        for end in range(min(size, start + _LONGEST), start, -1):
            rest = best[end]
            if rest is not None and word[start:end] in SYLLABLES:
                found = (word[start:end], *rest)
                current = best[start]
                if current is None or len(found) < len(current):
                    best[start] = found
    return best[0]


def _fold(syllable: str) -> str:
    for full, short in _INITIALS:
        if syllable.startswith(full):
            syllable = short + syllable[len(full):]
            break
    return syllable[:-1] if syllable.endswith("ng") else syllable


def different_syllables(a: str, b: str) -> bool:
    """Both words are pinyin and spell different syllables, even allowing for zh/z, ch/c, sh/s, -ng/-n and
    a doubled letter ("Asheele" / "Ashele" is a slip of the key, not another name)."""
    if _DOUBLED.sub(r"\1", a) == _DOUBLED.sub(r"\1", b):
        return False
    sa, sb = syllables(a), syllables(b)
    return sa is not None and sb is not None and tuple(map(_fold, sa)) != tuple(map(_fold, sb))
