"""List catalogue entries that still need a translation (empty msgstr or fuzzy): make messages-check."""

import re
import sys
from pathlib import Path

po = Path(__file__).resolve().parent.parent / "src/ocop/locale/vi/LC_MESSAGES/django.po"
missing = []
for block in po.read_text(encoding="utf-8").split("\n\n"):
    if 'msgid ""\nmsgstr ""\n"' in block:  # header
        continue
    if "#, fuzzy" in block or re.search(r'msgstr(\[0\])? ""\s*$', block.strip()):
        missing.append(block)
print("\n\n".join(missing))
sys.exit(1 if missing else 0)
