"""Whether PDF reports can print Chinese: WeasyPrint draws text with the fonts fontconfig knows, and without a
CJK font every 汉字 of a name comes out as an empty box, with no error. The service checks once, warns at
start-up, and refuses a PDF that holds Chinese text when no such font is installed (HTML reports are fine:
the browser brings its own fonts). Debian and Ubuntu: `apt-get install fonts-noto-cjk` (SIL Open Font Licence).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import re
from functools import cache

log = logging.getLogger(__name__)
INSTALL_HINT = "install a CJK font on the server (Debian/Ubuntu: apt-get install fonts-noto-cjk)"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.c_void_p)]


@cache
def cjk_font_available() -> bool:
    """True when fontconfig lists a font covering Chinese (`fc-list :lang=zh`); False when it lists none or
    fontconfig itself is missing (then WeasyPrint cannot run either)."""
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return False
    try:
        fc = ctypes.CDLL(name)
        fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
        fc.FcNameParse.restype, fc.FcNameParse.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        fc.FcObjectSetBuild.restype = ctypes.c_void_p
        fc.FcFontList.restype = ctypes.POINTER(_FontSet)
        fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        for fn in ("FcFontSetDestroy", "FcObjectSetDestroy", "FcPatternDestroy", "FcConfigDestroy"):
            getattr(fc, fn).argtypes = [ctypes.c_void_p]
        config = fc.FcInitLoadConfigAndFonts()
        pattern = fc.FcNameParse(b":lang=zh")
        objects = fc.FcObjectSetBuild(b"family", None)
        fonts = fc.FcFontList(config, pattern, objects)
        found = bool(fonts) and fonts.contents.nfont > 0
        if fonts:
            fc.FcFontSetDestroy(fonts)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
        fc.FcConfigDestroy(config)
        return found
    except (OSError, AttributeError):  # an unusual libfontconfig: say no rather than fail
        return False


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def warn_if_missing() -> None:
    """At start-up: a warning in the log when PDF reports could not print Chinese names."""
    if not cjk_font_available():
        log.warning("no CJK font is installed: PDF reports that hold Chinese text will be refused (HTML reports "
                    "work); %s", INSTALL_HINT)
