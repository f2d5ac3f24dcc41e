"""The return template an organisation fills in: the wide sheet (one row per organisation and week, one
column per measure) with the measure definitions on a second sheet."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from taskforce.core.kinds import Aggregation
from taskforce.measures.registry import registry, reported_codes


def return_template(org_code: str, org_name: str, week_ending: dt.date, marking: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Return"
    codes = reported_codes()
    sheet.append(["week_ending", "org_code", *codes])
    sheet.append([week_ending.isoformat(), org_code, *[None] * len(codes)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 18
    whole_numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="Enter a number of 0 or more.",
    )
    sheet.add_data_validation(whole_numbers)
    whole_numbers.add(f"C2:{sheet.cell(row=500, column=2 + len(codes)).coordinate}")
    definitions = workbook.create_sheet("Definitions")
    definitions.append(
        [
            f"{marking}: weekly OIC return for {org_name}. One row per week; a value in every column "
            "(0 for none). Weeks end on Sunday; dates as YYYY-MM-DD."
        ]
    )
    definitions.append(["measure_code", "label", "unit", "counts as", "definition"])
    for code in codes:
        item = registry()[code]
        definitions.append(
            [
                code,
                item.label,
                item.unit,
                "latest value (stock)" if item.aggregation == Aggregation.STOCK else "total for the week",
                item.definition,
            ]
        )
    for cell in definitions[2]:
        cell.font = Font(bold=True)
    definitions.column_dimensions["E"].width = 100
    for row in definitions.iter_rows(min_row=3):
        row[4].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
