"""Writing the PDF with its small objects in object streams of at most 100 objects each.

pydyf, WeasyPrint's PDF writer, puts every small object of the file into one compressed object
stream. A tagged report has about 7,500 of them (one structure element per heading, paragraph,
table cell and run of text), and pyHanko, which signs and verifies the report, reads an object
of an object stream by parsing the stream's index from the start: reading all of them costs
the square of their number. ``assess verify`` on a countersigned tagged report, whose
difference analysis reads every object of every revision, went from seconds to more than ten
minutes. Streams of 100 objects, as qpdf writes them, keep each read short at almost the same
file size (measured in docs/performance.md, "Tagged PDF").

:func:`chunked_writer` replaces the writing step of one ``pydyf.PDF``; the output is the same
PDF as pydyf's, objects, numbering and identifier included, only spread over several streams.
"""

from __future__ import annotations

from collections.abc import Callable
from hashlib import md5
from math import ceil, log
from typing import IO, Any

OBJECTS_PER_STREAM = 100
"""How many objects one object stream holds at most (qpdf's choice)."""


def chunked_writer(pdf: Any, size: int = OBJECTS_PER_STREAM) -> Callable[..., None]:
    """A drop-in for ``pdf.write`` (``write(output, version, identifier, compress)``) that
    writes ``pdf``'s small objects in object streams of at most ``size`` objects."""

    def write(
        output: IO[bytes], version: Any = b"1.7", identifier: Any = False, compress: bool = False
    ) -> None:
        import pydyf

        if not compress:
            # Without compression pydyf writes no object stream at all: nothing to split.
            pydyf.PDF.write(pdf, output, version, identifier, compress)
            return
        version = _bytes(version or b"1.7")
        if identifier not in (False, True, None):
            identifier = _bytes(identifier)
        if pdf.info:
            pdf.add_object(pdf.info)
        pdf.write_line(b"%PDF-" + version, output)
        pdf.write_line(b"%\xf0\x9f\x96\xa4", output)

        small = []
        for item in pdf.objects:
            if item.free == "f":
                continue
            if item.compressible:
                small.append(item)
            else:
                item.offset = pdf.current_position
                pdf.write_line(item.indirect, output)

        where: dict[int, tuple[int, int]] = {}
        """Object number → (its object stream's number, its index in the stream)."""
        for start in range(0, len(small), size):
            chunk = small[start : start + size]
            header: list[int] = []
            body: list[bytes] = []
            position = 0
            for item in chunk:
                data = item.data
                header += [item.number, position]
                body.append(data)
                position += len(data) + 1
            index = " ".join(str(n) for n in header)
            stream = pydyf.Stream(
                [index, *body],
                {"Type": "/ObjStm", "N": len(chunk), "First": len(index) + 1},
                compress,
            )
            pdf.add_object(stream)
            stream.offset = pdf.current_position
            pdf.write_line(stream.indirect, output)
            for number, item in enumerate(chunk):
                where[item.number] = (stream.number, number)

        xref = []
        for item in pdf.objects:
            if item.number in where and item.free != "f":
                xref.append((2, *where[item.number]))
            else:
                xref.append((int(bool(item.number)), item.offset, item.generation))
        xref.append((1, pdf.current_position, 0))
        widths = (
            1,
            ceil(log(pdf.current_position + 1, 256)),
            ceil(log(max(max(o.generation for o in pdf.objects), size) + 1, 256)),
        )
        table = b"".join(
            value.to_bytes(width, "big")
            for line in xref
            for width, value in zip(widths, line, strict=True)
        )
        extra = {
            "Type": "/XRef",
            "Index": pydyf.Array((0, len(pdf.objects) + 1)),
            "W": pydyf.Array(widths),
            "Size": len(pdf.objects) + 1,
            "Root": pdf.catalog.reference,
        }
        if pdf.info:
            extra["Info"] = pdf.info.reference
        if identifier:
            data_hash = md5(b"".join(o.data for o in pdf.objects if o.free != "f")).hexdigest()
            if identifier is True:
                identifier = data_hash.encode()
            extra["ID"] = pydyf.Array(
                (pydyf.String(identifier).data, pydyf.String(data_hash.encode()).data)
            )
        xref_stream = pydyf.Stream([table], extra, compress)
        pdf.xref_position = xref_stream.offset = pdf.current_position
        pdf.add_object(xref_stream)
        pdf.write_line(xref_stream.indirect, output)
        pdf.write_line(b"startxref", output)
        pdf.write_line(str(pdf.xref_position).encode(), output)
        pdf.write_line(b"%%EOF", output)

    return write


def _bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()
