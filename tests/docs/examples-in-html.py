#!/usr/bin/env python3
"""Check that every example extract-examples.sh listed is a code block of the HTML reference.

    examples-in-html.py HTML_DIR LIST

LIST holds "FILE<TAB>WHERE" lines (other lines are ignored); FILE is the extracted translation
unit, whose lines after the four extract-examples.sh puts first are the example. An example is
found when its lines, whitespace collapsed, are consecutive lines of one doxygen code fragment
(<div class="fragment">, one <div class="line"> per line). Prints "ok|not ok<TAB>name" per
example; exits 1 if one is missing.
"""
import html
import pathlib
import re
import sys

PREAMBLE_LINES = 4  # "// Extracted from", then the three #include lines


def normal(text):
    return " ".join(text.replace("\xa0", " ").split())


def fragments(html_dir):
    """Every fragment of every page, as a list of normalised non-empty lines."""
    found = []
    line_re = re.compile(r'<div class="line">(.*?)</div>', re.S)
    for page in sorted(pathlib.Path(html_dir).glob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for frag in text.split('<div class="fragment">')[1:]:
            # A fragment ends at the first </div> that closes it: after its last line.
            body = frag.split("</div><!-- fragment -->")[0]
            lines = [normal(html.unescape(re.sub(r"<[^>]+>", "", m))) for m in line_re.findall(body)]
            found.append([l for l in lines if l])
    return found


def contains(haystack, needle):
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def main():
    html_dir, listing = sys.argv[1], sys.argv[2]
    frags = fragments(html_dir)
    failed = 0
    for row in pathlib.Path(listing).read_text().splitlines():
        cols = row.split("\t")
        if len(cols) != 2:
            continue
        src, where = cols
        lines = pathlib.Path(src).read_text().splitlines()[PREAMBLE_LINES:]
        want = [normal(l) for l in lines if normal(l)]
        ok = bool(want) and any(contains(f, want) for f in frags)
        print("%s\texample at %s is a code block of the reference" % ("ok" if ok else "not ok", where))
        failed += not ok
    sys.exit(1 if failed else 0)


main()
