"""Reading segmentation rules from SRX 2.0 files (the format OmegaT, Okapi and Trados read).

An SRX file holds named lists of rules (``languagerule``) and a map from language codes to
those lists (``maprules``). Each rule says "break" or "no break" at a position where its
``beforebreak`` regular expression matches the text ending there and its ``afterbreak``
matches the text starting there; at each position the first rule that matches decides.

This module only reads the file into plain :class:`Rule` objects and checks its shape; the
segmenter compiles them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex

from tm.errors import FormatError, RulesError

NAMESPACES = ("http://www.lisa.org/srx20", "http://www.lisa.org/srx10")


@dataclass(frozen=True)
class Rule:
    """One SRX rule. ``where`` names it in error messages (``rule 3 of 'English'``)."""

    breaks: bool
    before: str = ""
    after: str = ""
    where: str = ""
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class LanguageMap:
    pattern: str
    rules: str
    line: int | None = None


@dataclass(frozen=True)
class RulesFile:
    """The content of one SRX file."""

    path: str
    cascade: bool
    languages: dict[str, tuple[Rule, ...]]
    maps: tuple[LanguageMap, ...]

    def rules_for(self, lang: str) -> tuple[Rule, ...] | None:
        """The rules that apply to ``lang``, in order, or None when no language map matches.

        With ``cascade="yes"`` the rules of every matching map are used one after the other;
        otherwise those of the first matching map only.
        """
        found: list[Rule] = []
        matched = False
        for entry in self.maps:
            if regex.fullmatch(entry.pattern, lang, flags=regex.IGNORECASE):
                matched = True
                found.extend(self.languages[entry.rules])
                if not self.cascade:
                    break
        return tuple(found) if matched else None


def read_srx(data: bytes, path: str | Path) -> RulesFile:
    """Read an SRX document; anything that is not SRX is a :class:`RulesError` naming the line."""
    from tm.formats.xml import parse_xml

    path = str(path)
    try:
        root = parse_xml(data, path)
    except FormatError as exc:
        raise RulesError(f"not a valid SRX file: {exc.message}", path, exc.line) from None
    ns = _namespace(root.tag)
    if ns not in NAMESPACES or _local(root.tag) != "srx":
        raise RulesError(
            f"not an SRX file: the root element is <{_local(root.tag)}> in namespace '{ns}', "
            f"expected <srx> in '{NAMESPACES[0]}'",
            path,
            root.sourceline,
        )

    def child(parent, name: str):
        return parent.find(f"{{{ns}}}{name}")

    header, body = child(root, "header"), child(root, "body")
    if header is None or body is None:
        raise RulesError("not a valid SRX file: <srx> needs a <header> and a <body>", path, root.sourceline)
    # SRX requires the attribute; OmegaT's own default rules leave it out and cascade.
    cascade = header.get("cascade", "yes").strip().lower() == "yes"

    languages: dict[str, tuple[Rule, ...]] = {}
    container = child(body, "languagerules")
    for element in container if container is not None else ():
        if _local(element.tag) != "languagerule":
            continue
        name = element.get("languagerulename")
        if not name:
            raise RulesError("<languagerule> without a languagerulename", path, element.sourceline)
        if name in languages:
            raise RulesError(f"languagerule '{name}' is defined twice", path, element.sourceline)
        rules = []
        for number, rule in enumerate(element.iterfind(f"{{{ns}}}rule"), 1):
            where = f"rule {number} of languagerule '{name}'"
            value = rule.get("break", "yes").strip().lower()
            if value not in ("yes", "no"):
                raise RulesError(f"{where}: break must be yes or no, not '{value}'", path, rule.sourceline)
            before, after = child(rule, "beforebreak"), child(rule, "afterbreak")
            rules.append(
                Rule(
                    breaks=value == "yes",
                    before=(before.text or "") if before is not None else "",
                    after=(after.text or "") if after is not None else "",
                    where=where,
                    source=path,
                    line=rule.sourceline,
                )
            )
        languages[name] = tuple(rules)

    maps = []
    container = child(body, "maprules")
    for element in container if container is not None else ():
        if _local(element.tag) != "languagemap":
            continue
        pattern, name = element.get("languagepattern"), element.get("languagerulename")
        if pattern is None or name is None:
            raise RulesError(
                "<languagemap> needs languagepattern and languagerulename", path, element.sourceline
            )
        if name not in languages:
            raise RulesError(f"languagemap names an unknown languagerule '{name}'", path, element.sourceline)
        try:
            regex.compile(pattern)
        except regex.error as exc:
            raise RulesError(
                f"languagemap '{pattern}': bad regular expression: {exc}", path, element.sourceline
            ) from None
        maps.append(LanguageMap(pattern, name, element.sourceline))
    if not maps:
        raise RulesError("not a valid SRX file: no <languagemap> in <maprules>", path, body.sourceline)
    return RulesFile(path, cascade, languages, tuple(maps))


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag) -> str:
    """The element name without namespace; comments and processing instructions have none."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
