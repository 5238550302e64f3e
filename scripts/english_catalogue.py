"""Make the English catalogue repeat the source: every msgstr becomes its msgid (plural forms too).

English is the source language, so its catalogue is never "translated"; gettext's ``msgen`` only fills empty
entries and would keep a stale fuzzy match, so this rewrites every entry instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(path: str) -> None:
    po = Path(path)
    with po.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if not message.id:
            continue
        message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        message.flags.discard("fuzzy")
        message.previous_id = []
    catalog.fuzzy = False
    with po.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1])
