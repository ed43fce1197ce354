"""Upload file layer speed: read a generated 100,000-row mixed-script vendor CSV, write 100,000 result rows.

    python -m benchmarks.upload_io [--rows 100000] [--seed 7]

Prints read (decode + parse), map + validate + UploadRow time, CSV, JSON and XLSX write times with sizes, and
the time to read the written XLSX back.
Targets on the reference machine: CSV write <= 10 s, XLSX write <= 30 s for 100,000 rows.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator

from service.batches import (
    ResultRow,
    auto_mapping,
    csv_stream,
    json_stream,
    read_table,
    upload_rows,
    validate,
    xlsx_bytes_stream,
)

TARGETS = {"csv_write_s": 10.0, "xlsx_write_s": 30.0}
HEADERS = ["供应商编号", "Vendor Name", "供应商名称", "Country", "Address", "City", "HS Code", "Payment Terms"]
_HAN = "中泰化学合盛硅业新疆天业宁波杉杉东方希望大全能源华孚色纺阿克苏棉纺织有限公司股份集团鄯善石河子"
_LATIN = ["Zhongtai", "Hoshine", "Daqo", "East Hope", "Tianye", "Huafu", "Shanshan", "Vina Solar", "Acme", "Müller"]
_FORMS = ["Co., Ltd.", "CO LTD", "Company Limited", "GmbH", "Stock Co.", "Industrial (Shanshan) Co Ltd"]
_VERDICTS = ["clear"] * 90 + ["elevated"] * 6 + ["review"] * 3 + ["presumption"]


def generate_csv(rows: int, rng: random.Random) -> bytes:
    lines = [",".join(HEADERS)]
    for index in range(rows):
        han = "".join(rng.choices(_HAN, k=rng.randint(6, 14)))
        latin = f'"{" ".join(rng.sample(_LATIN, 2))} {rng.choice(_FORMS)}"'
        city = rng.choice(["乌鲁木齐", "Ningbo", "Hanoi"])
        address = f'"No. {rng.randint(1, 999)} {rng.choice(_LATIN)} Road, {city}"'
        hs_code = f"{rng.randint(1000, 9999)}.{rng.randint(10, 99)}"
        lines.append(",".join([f"V{index:06d}", latin, han, rng.choice(["CN", "VN", "DE", "中国"]), address,
                               rng.choice(["Urumqi", "宁波", "Bac Giang"]), hs_code, "NET30"]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def results(values: list[list[str]], rng: random.Random) -> Iterator[ResultRow]:
    for index, row in enumerate(values):
        verdict = rng.choice(_VERDICTS)
        hit = verdict in ("presumption", "review")
        yield ResultRow(values=row, verdict=verdict, risk_score=rng.randint(0, 100),
                        top_match_source="uflpa" if hit else None, top_match_entry="uflpa-0042" if hit else None,
                        top_match_name="Hoshine Silicon Industry Co., Ltd." if hit else None,
                        top_match_score=round(rng.random(), 3) if hit else None,
                        xinjiang_place="Shanshan" if hit else None,
                        sector="polysilicon" if verdict != "clear" else None,
                        screening_id=f"scr_{index:08d}")


def timed(label: str, write: Callable[[], Iterable[bytes]]) -> float:
    start = time.perf_counter()
    size = sum(len(chunk) for chunk in write())
    seconds = time.perf_counter() - start
    print(f"{label:<24}{seconds:8.2f} s   {size / 1e6:8.1f} MB")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    data = generate_csv(args.rows, rng)
    print(f"input: {args.rows:,} rows, {len(data) / 1e6:.1f} MB UTF-8 CSV")

    start = time.perf_counter()
    table = read_table(data, filename="vendors.csv")
    print(f"{'read_table':<24}{time.perf_counter() - start:8.2f} s")
    start = time.perf_counter()
    mapping = auto_mapping(table.headers)
    validate(table, mapping)
    rows = upload_rows(table, mapping)
    print(f"{'map+validate+rows':<24}{time.perf_counter() - start:8.2f} s   ({len(rows):,} rows, {mapping.columns})")
    gbk = data.decode().encode("gb18030")
    start = time.perf_counter()
    read_table(gbk)
    print(f"{'read_table (GB18030)':<24}{time.perf_counter() - start:8.2f} s")

    figures = {
        "csv_write_s": timed("csv_stream", lambda: csv_stream(table.headers, results(table.rows, rng))),
        "json_write_s": timed("json_stream", lambda: json_stream(table.headers, results(table.rows, rng))),
        "xlsx_write_s": timed("xlsx_bytes_stream", lambda: xlsx_bytes_stream(table.headers, results(table.rows, rng))),
    }
    workbook = b"".join(xlsx_bytes_stream(table.headers, results(table.rows, rng)))
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    start = time.perf_counter()
    read_table(workbook)
    print(f"{'read_table (XLSX)':<24}{time.perf_counter() - start:8.2f} s   ({len(workbook) / 1e6:.1f} MB, "
          f"{unpacked / 1e6:.0f} MB unpacked)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for key, limit in TARGETS.items():
        print(f"{key}: {figures[key]:.2f} s (target <= {limit:.0f} s) {'ok' if figures[key] <= limit else 'MISSED'}")


if __name__ == "__main__":
    main()
