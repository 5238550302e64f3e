"""Set translations in a .po file in place, keeping its layout: ``po_set.py CATALOGUE TRANSLATIONS.po``.

Entries of TRANSLATIONS.po (msgid → msgstr) replace the msgstr of the same msgid in CATALOGUE, and clear
their fuzzy flag and previous-msgid comments; every other line of CATALOGUE is left as it is.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po


def _unquote(lines: list[str], keyword: str) -> str:
    text, inside = [], False
    for line in lines:
        if line.startswith(keyword + " "):
            inside = True
            line = line[len(keyword) + 1 :]
        elif not line.startswith('"'):
            inside = False
        if inside:
            text.append(line.strip()[1:-1].encode().decode("unicode_escape").encode("latin-1").decode())
    return "".join(text)


def _quote(keyword: str, value: str) -> list[str]:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return [f'{keyword} "{escaped}"']


def main(catalogue: str, translations: str) -> None:
    with open(translations, "rb") as f:
        # plural entries are keyed by their singular msgid; their value is the tuple of msgstr[n]
        wanted = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in read_po(f) if m.id}
    path = Path(catalogue)
    blocks = path.read_text().split("\n\n")
    done = set()
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        msgid = _unquote(lines, "msgid")
        if msgid not in wanted or not msgid:
            continue
        kept = [line for line in lines if line.startswith("#") and not line.startswith("#|")]
        kept = [re.sub(r"^#, fuzzy, ", "#, ", line) for line in kept if line != "#, fuzzy"]
        body = lines[len([x for x in lines if x.startswith("#")]) :]
        msgid_lines = []
        for line in body:
            if line.startswith("msgstr"):
                break
            msgid_lines.append(line)
        value = wanted[msgid]
        if isinstance(value, tuple):
            strings = [line for n, text in enumerate(value) for line in _quote(f"msgstr[{n}]", text)]
        else:
            strings = _quote("msgstr", value)
        blocks[i] = "\n".join(kept + msgid_lines + strings)
        done.add(msgid)
    missing = set(wanted) - done
    if missing:
        raise SystemExit(f"not in {catalogue}: {sorted(missing)}")
    path.write_text("\n\n".join(blocks))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
