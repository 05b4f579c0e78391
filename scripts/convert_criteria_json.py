"""One-off conversion of the parsed criteria sheets of 26/2026 into the repository's data files.

Input: ``qd26_2026_criteria.json`` from the shared domain folder (a faithful parse of Annex II).
Output: one YAML file per sheet in ``src/ocop/evaluation/data/rubrics/26-2026/``. Free-text notes
that carry rules are turned into explicit fields (``requirement``, ``applies_if``, ``case_labels``,
``knockouts``); the printed values are kept as printed, typos included: the loader applies
``errata.yaml`` on top. Kept for provenance; the YAML files are the source of truth now.

    python3 scripts/convert_criteria_json.py ../shared/domain/qd26_2026_criteria.json
"""

import json
import re
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parents[1] / "src/ocop/evaluation/data/rubrics/26-2026"

GATE = re.compile(r"không đánh giá các bước tiếp theo|không xem xét các chỉ tiêu khác", re.I)
CASE = re.compile(r"^[ab]\. Trường hợp (\d): (.+)$")


def number(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def convert_node(node, depth):
    out = {"code": node["code"], "title": node["title"].strip(), "max": number(node["max"])}
    notes, knockouts = [], []
    for note in node.get("notes") or []:
        note = note.strip()
        match = CASE.match(note)
        if note.startswith("Lựa chọn một trong hai trường hợp"):
            continue
        if match:
            out.setdefault("case_labels", {})[int(match.group(1))] = match.group(2).strip()
        elif note.startswith("Yêu cầu:"):
            out["requirement"] = note.removeprefix("Yêu cầu:").strip()
        elif note == "Chỉ áp dụng khi có câu chuyện sản phẩm":
            out["applies_if"] = {"criterion": "5.1", "min_points": 1, "text": note}
        elif "Bị loại nếu" in note:
            knockouts.append({"kind": "criterion", "text": note})
        elif GATE.search(note):
            gate = {"kind": "gate", "text": note}
            if note.startswith("Ghi chú: Nếu được 0 điểm tại một trong các chỉ tiêu trên"):
                gate["zero_in"] = [child["code"] for child in node["children"]]
            knockouts.append(gate)
        elif note.startswith("o ") and note.endswith("*"):
            continue  # a parse leftover: the option itself is in ``options`` (sheet 7 group 7)
        else:
            notes.append(note)
    if notes:
        out["notes"] = notes
    if knockouts:
        out["knockouts"] = knockouts
    if node.get("children"):
        out["children"] = [convert_node(child, depth + 1) for child in node["children"]]
    elif node.get("options"):
        options = []
        for option in node["options"]:
            item = {"label": option["label"].strip(), "points": number(option["points"])}
            if option.get("min_star"):
                item["star"] = option["min_star"]
            if option.get("case"):
                item["case"] = option["case"]
            options.append(item)
        out["options"] = options
    elif depth > 0:
        out["binary"] = True
    return out


def find(data, code):
    stack = list(data["parts"])
    while stack:
        node = stack.pop()
        if node["code"] == code:
            return node
        stack.extend(node.get("children", []))
    raise KeyError(code)


def fix_parse_misses(data):
    """Where the JSON does not say what the law text says, the text wins (CORRECTIONS.md, P1–P6)."""
    number = data["sheet_number"]
    if number == 3:  # P2: the spaced marker "* * * *" was left in the label (line 1657)
        option = find(data, "5.1")["options"][4]
        option["label"] = option["label"].replace("* * * *", "").strip()
    if number in (21, 22):  # P3/P4: a knock-out note glued to option 3 of 6.2 (lines 10059, 10483)
        node = find(data, "6.2")
        option = node["options"][2]
        note = "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ"
        option["label"] = option["label"].replace(note, "").strip()
        node.setdefault("knockouts", []).append({"kind": "criterion", "text": note})
    descriptor = (
        "(Chất lượng: Có nét riêng, khác biệt, có dấu hiệu nhận biết rõ ràng so với sản phẩm khác, "
        "tiềm năng thành thương hiệu của địa phương)"
    )
    if number in (2, 3):  # P5/P6: the group descriptor row was dropped (lines 1294, 1772)
        node = find(data, "7" if number == 2 else "8")
        node["notes"] = [descriptor, *node.get("notes", [])]
    if number == 5:  # the JSON holds the corrected word; the file keeps the print (erratum E11)
        node = find(data, "8")
        node["notes"] = [note.replace("Bản Tiêu chuẩn", "Sản Tiêu chuẩn") for note in node["notes"]]


def main(path):
    sheets = json.loads(Path(path).read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    for sheet in sheets:
        data = {
            "legal_basis": "26/2026/QĐ-TTg",
            "sheet_number": sheet["no"],
            "title": sheet["title"].strip(),
            "classification": sheet["classification"].strip(),
            "source": f"Phụ lục II, Quyết định 26/2026/QĐ-TTg, Bộ tiêu chí số {sheet['no']}",
            "knockouts": [{"kind": "dossier", "text": text.strip()} for text in sheet["disqualify_if"]],
            "parts": [convert_node(part, 0) for part in sheet["parts"]],
        }
        fix_parse_misses(data)
        target = OUT / f"sheet-{sheet['no']:02d}.yaml"
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        print(target.name)


if __name__ == "__main__":
    main(sys.argv[1])
