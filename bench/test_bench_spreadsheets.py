"""Speed of the spreadsheet layer (run with `make bench`; disabled in the normal test run).

10,000 rows of 12 columns (text, codes, a choice, dates, whole numbers and amounts), the size of a
large province's producer and product lists.

Goals (2-core machine): an .xlsx export of 10,000 rows under 5 s, reading it back under 4 s, a CSV
export plus import under 1 s. Measured 2026-11-23 with the machine busy (load 3): write min 3.8 s /
median 4.1 s; read min 2.5 s / median 2.7 s; CSV round trip min 0.58 s / median 0.59 s. About 90 %
of the .xlsx time is openpyxl's own XML work (with lxml installed, writing took about 1/3 less).
"""

import datetime as dt
import io
from decimal import Decimal

import pytest

from ocop.core.spreadsheets import Column, iter_csv, read_rows, write_xlsx

pytestmark = [pytest.mark.unit]

ROWS = 10_000
COLUMNS = [
    Column("code", "Mã sản phẩm", required=True),
    Column("name", "Tên sản phẩm", required=True, width=40),
    Column("producer", "Tên chủ thể", width=40),
    Column("tax_code", "Mã số thuế"),
    Column("group", "Nhóm sản phẩm", choices=("Thực phẩm", "Đồ uống", "Dược liệu", "Thủ công mỹ nghệ")),
    Column("stars", "Số sao", kind="int"),
    Column("recognised_on", "Ngày công nhận", kind="date"),
    Column("expires_on", "Ngày hết hạn", kind="date"),
    Column("price", "Giá bán", kind="decimal"),
    Column("volume", "Sản lượng", kind="int"),
    Column("address", "Địa chỉ", width=50),
    Column("notes", "Ghi chú", width=50),
]


def make_rows():
    start = dt.date(2024, 1, 1)
    for index in range(ROWS):
        recognised = start + dt.timedelta(days=index % 700)
        yield {
            "code": f"24-07288-{index:03d}-2025",
            "name": f"Gà đồi Yên Thế loại {index}",
            "producer": f"Hợp tác xã nông nghiệp Đồng Tâm số {index % 500}",
            "tax_code": f"{2400000000 + index:010d}",
            "group": COLUMNS[4].choices[index % 4],
            "stars": 3 + index % 3,
            "recognised_on": recognised,
            "expires_on": recognised + dt.timedelta(days=3 * 365),
            "price": Decimal(150_000 + index * 10),
            "volume": 1_000 + index,
            "address": f"Thôn {index % 20}, xã Đồng Tâm, tỉnh Bắc Ninh",
            "notes": "Sản phẩm đạt chứng nhận VietGAP; đóng gói hút chân không.",
        }


@pytest.fixture(scope="module")
def workbook_bytes():
    return write_xlsx(COLUMNS, make_rows())


def test_bench_write_xlsx(benchmark):
    content = benchmark.pedantic(lambda: write_xlsx(COLUMNS, make_rows()), rounds=3, iterations=1)
    assert content.startswith(b"PK\x03\x04")


def test_bench_read_xlsx(benchmark, workbook_bytes):
    result = benchmark.pedantic(
        lambda: read_rows(io.BytesIO(workbook_bytes), filename="san-pham.xlsx", columns=COLUMNS),
        rounds=3,
        iterations=1,
    )
    assert len(result.rows) == ROWS
    assert result.rows[-1][0] == ROWS + 1
    assert result.rows[0][1]["recognised_on"] == dt.date(2024, 1, 1)


def test_bench_csv_export_and_import(benchmark):
    def round_trip():
        content = b"".join(iter_csv(COLUMNS, make_rows()))
        return read_rows(io.BytesIO(content), filename="san-pham.csv", columns=COLUMNS)

    result = benchmark.pedantic(round_trip, rounds=3, iterations=1)
    assert len(result.rows) == ROWS
