"""An export's XML, read safely and a piece at a time.

The file is untrusted: defusedxml refuses a DTD (and with it entity expansion, the "billion laughs",
and external entities that would read files on this machine); no export needs one. It is streamed
(`iterparse`): each element the converter asks for is handed over complete and then dropped, so an
export of millions of comments is never held whole in memory. Each element the converter marks
keeps the line its start tag is on, for error messages.
"""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from townsquare.comments.importers.base import ImportFileError


def local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rpartition("}")[2]


class _Target:
    """ElementTree's tree builder, noting the line each marked element starts on. Called by expat as
    it reads a start tag, so the parser's current line is that tag's."""

    def __init__(self, mark: Mapping[str, int]) -> None:
        self.builder = TreeBuilder()
        self.mark = mark
        self.depth = 0
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrs)
        if self.mark.get(local(tag)) == self.depth:
            self.lines[id(element)] = self.expat.CurrentLineNumber
        self.depth += 1
        return element

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


class Elements:
    """The elements of the XML file at `path` named in `emit` (local name: depth, the root's children
    being at depth 1), each complete, in the order of the file. `root` is the tag the document must
    start with, `what` says what the file should be. `line()` gives the line of an element named in
    `mark` (its local name: depth), while it is being handed over."""

    def __init__(
        self, path: Path, *, root: str, what: str, emit: Mapping[str, int], mark: Mapping[str, int]
    ) -> None:
        self.path, self.root, self.what = path, root, what
        self.emit = emit
        self.target = _Target(mark)

    def line(self, element: Element) -> int:
        return self.target.lines.get(id(element), 0)

    def __iter__(self) -> Iterator[Element]:
        parser = DefusedXMLParser(target=self.target, forbid_dtd=True)
        self.target.expat = parser.parser
        path: list[Element] = []
        try:
            with self.path.open("rb") as file:
                for event, element in iterparse(file, events=("start", "end"), parser=parser):
                    if event == "start":
                        if not path and element.tag != self.root:
                            raise ImportFileError(
                                f"not {self.what}: it starts with <{local(element.tag)}>, "
                                f"not <{local(self.root)}>"
                            )
                        path.append(element)
                        continue
                    path.pop()
                    if path and self.emit.get(local(element.tag)) == len(path):
                        yield element
                        for done in element.iter():
                            self.target.lines.pop(id(done), None)
                        path[-1].remove(element)
        except ParseError as exc:
            raise ImportFileError(f"not well-formed XML ({exc})") from exc
        except DefusedXmlException as exc:
            raise ImportFileError(
                "refused: it declares a DTD or entities, which an export never needs and a hostile "
                "file uses to expand without end or to read files on this machine"
            ) from exc
