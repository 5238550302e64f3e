"""Fuzzing the EDI readers: whatever the bytes, only Mitra's own import error (RowErrors) escapes, and a
successful read is a list of batches whose rows are strings."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitra.core.rows import RowError, RowErrors
from mitra.transfer.edi import Batch, read, samples
from mitra.transfer.edi.common import KIND_COLUMNS

FILES = samples.sample_files()
EDIFACT = [data for name, data in sorted(FILES.items()) if name.endswith(".edi")]
X12 = [data for name, data in sorted(FILES.items()) if name.endswith(".x12")]
# bytes an EDI file is made of, and a few it should never hold
ALPHABET = b"UNABHTZSEIGQLXPODM0123456789+:'?*~^.,- \n\r\x00\xff"
SEPARATORS = [b"+", b":", b"'", b"?", b"*", b"~", b"^", b"\n", b" ", b"A", b"1", b"\x00", b"\xe9"]


def check(data: bytes) -> None:
    try:
        batches = read(data)
    except RowErrors as error:
        assert error.rows, "a RowErrors lists at least one problem"
        for row in error.rows:
            assert isinstance(row, RowError)
            assert isinstance(row.row, int) and row.row >= 0
            assert isinstance(row.column, str) and isinstance(row.message, str) and row.message
            # the last-resort guard of read() is for surprises: a fuzzed file never needs it
            assert row.message != "The file cannot be read as EDI.", error.rows
        return
    assert isinstance(batches, list) and batches
    for batch in batches:
        assert isinstance(batch, Batch) and batch.kind in KIND_COLUMNS
        assert isinstance(batch.source, str)
        assert len(batch.rows) == len(batch.lines) and batch.rows
        assert all(isinstance(line, int) and line >= 1 for line in batch.lines)
        for row in batch.rows:
            assert set(row) <= set(KIND_COLUMNS[batch.kind])
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in row.items())


@st.composite
def mutated(draw: st.DrawFn, files: list[bytes]) -> bytes:
    """A valid interchange with a few segments deleted, duplicated, swapped or replaced, separators
    changed, random bytes inserted, or cut off."""
    data = draw(st.sampled_from(files))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(["delete", "duplicate", "replace", "swap", "insert", "separator", "cut", "field"])
        )
        if not lines:
            lines = [b""]
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "replace":
            lines[i] = draw(
                st.binary(max_size=40)
                | st.sampled_from(
                    [b"UNH+1+ORDERS:D:96A:UN'", b"UNT+2+1'", b"ST*850*1~", b"SE*2*1~", b"UNA:+.? '", b"ISA*"]
                )
            )
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            blob = b"\n".join(lines)
            at = draw(st.integers(0, len(blob)))
            noise = draw(
                st.binary(min_size=1, max_size=12)
                | st.lists(st.sampled_from(list(ALPHABET)), min_size=1, max_size=12).map(bytes)
            )
            lines = (blob[:at] + noise + blob[at:]).split(b"\n")
        elif op == "separator":
            blob = b"\n".join(lines)
            old = draw(st.sampled_from(SEPARATORS))
            new = draw(st.sampled_from(SEPARATORS))
            if draw(st.booleans()):
                blob = blob.replace(old, new)
            else:  # just the UNA advice or the ISA's separators
                at = draw(st.sampled_from([3, 4, 5, 6, 7, 8, 103, 104, 105]))
                blob = blob[:at] + new + blob[at + 1 :]
            lines = blob.split(b"\n")
        elif op == "cut":
            blob = b"\n".join(lines)
            lines = blob[: draw(st.integers(0, len(blob)))].split(b"\n")
        else:  # a field's value: a letter for a digit, a digit for a separator, a huge number
            blob = b"\n".join(lines)
            at = draw(st.integers(0, max(0, len(blob) - 1)))
            value = draw(
                st.sampled_from([b"x", b"9", b"", b"99999999999999999999999", b"-1", b"20261340", b"1e5"])
            )
            lines = (blob[:at] + value + blob[at + 1 :]).split(b"\n")
    return b"\n".join(lines)


FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    st.one_of(
        mutated(EDIFACT),
        st.binary(max_size=300),
        st.binary(max_size=200).map(lambda b: b"UNA:+.? '" + b),
        st.binary(max_size=200).map(lambda b: b"UNB+UNOC:3+" + b),
    )
)
def test_the_edifact_reader_lets_only_row_errors_escape(data):
    check(data)


@FUZZ
@given(
    st.one_of(mutated(X12), st.binary(max_size=300), st.binary(max_size=200).map(lambda b: X12[0][:106] + b))
)
def test_the_x12_reader_lets_only_row_errors_escape(data):
    check(data)


def test_the_mutations_still_read_valid_files():
    """The fuzzers start from files that read: the mutations are what makes them fail."""
    for data in EDIFACT + X12:
        check(data)
        assert read(data)
