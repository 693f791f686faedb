"""The workshop pack: one self-contained, escaped HTML file with a swimlane timeline."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sarkit.analysis import analyse
from sarkit.collate import agency_order
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.output.analysis_report import GapsReport
from sarkit.output.colours import agency_colours, agency_mark_colours
from sarkit.output.workshop import OVERLAPS_LISTED, render_workshop_pack
from sarkit.review import Agency, Review
from sarkit.vocabulary import vocabulary_for

REVIEW = Review(
    reference="SAR-2025-07", subject="Adult C", period_start=dt.date(2025, 1, 1),
    period_end=dt.date(2025, 12, 31), marking="OFFICIAL-SENSITIVE",
    agencies=[Agency("Hill Surgery", "GP", ("surgery",)),
              Agency("Northshire Adult Social Care", "ASC", ("social care",)),
              Agency("Northshire Police", "Police")],
    pseudonyms={"Jane Example": "Adult C"},
)
EVIL = "<script>alert('x')</script> & <b>bold</b>"


def entry(agency: str, day: str, event: str, *, key: bool = False, action: str = "",
          end: str | None = None, month_only: bool = False) -> Entry:
    d, m, y = (int(p) for p in day.split("/"))
    date = PartialDate(y, m, None if month_only else d)
    end_date = None
    if end:
        ed, em, ey = (int(p) for p in end.split("/"))
        end_date = PartialDate(ey, em, ed)
    return Entry(agency=agency, date=date, source="Records", event=event, action=action,
                 key_event=key, end_date=end_date)


def report_for(entries: list[Entry], review: Review = REVIEW, *, window: int = 0,
               gap_days: int = 28, returned: list[str] | None = None) -> GapsReport:
    entries = sorted(entries, key=lambda e: e.date.start)
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number:04d}"
    names = {e.agency for e in entries}
    analysis = analyse(entries, agencies=review.agencies,
                       returned=sorted(names) if returned is None else returned,
                       period=(review.period_start, review.period_end), gap_days=gap_days,
                       window_days=window, vocabulary=vocabulary_for(review),
                       referral_window_days=review.referral_window_days)
    return GapsReport(review=review, entries=entries, analysis=analysis,
                      agency_order=agency_order(review, names),
                      labels={a.name: a.label for a in review.agencies},
                      gap_days=gap_days, window_days=window)


def small_report() -> GapsReport:
    gp, asc, police = (a.name for a in REVIEW.agencies)
    return report_for([
        entry(gp, "14/01/2025", "Medication review with Jane Example"),
        entry(asc, "14/01/2025", "Assessment; GP informed", action="Shared with surgery"),
        entry(gp, "03/03/2025", "Telephone consultation about falls", key=True),
        entry(asc, "03/03/2025", EVIL),
        entry(police, "20/06/2025", "Welfare check", end="24/06/2025"),
        entry(asc, "01/07/2025", "Carer's assessment", month_only=True),
        entry(police, "12/11/2025", "Found in the street"),
    ], returned=[gp, asc, police])


class Page(HTMLParser):
    """Collects elements (tag, attributes), the text and the raw text of <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    def having(self, tag: str, cls: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and cls in a.get("class", "").split()]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_lanes_bands_and_colours_follow_the_agency_order():
    report = small_report()
    html = render_workshop_pack(report)
    page = parse(html)
    lanes = page.having("g", "lane")
    assert [a["data-agency"] for a in lanes] == [a.name for a in REVIEW.agencies]
    bands = page.having("rect", "overlap-band")
    assert [a["data-overlap"] for a in bands] == ["O1", "O2"]
    assert "silent" in bands[1]["class"] and "silent" not in bands[0]["class"]  # O1 shared
    lane_fills = [a["fill"] for t, a in page.elements if t == "rect" and a.get("height") == "34"
                  and a.get("x") == "0"]
    order = [a.name for a in REVIEW.agencies]
    assert lane_fills == [agency_colours(order)[name] for name in order]
    marks = page.having("g", "marks")
    assert [a["fill"] for a in marks] == [agency_mark_colours(order)[name] for name in order]
    labels = re.findall(r'<text class="overlap-label[^"]*"[^>]*>(O\d+)</text>', html)
    assert labels == ["O1", "O2"]


def test_marks_key_events_ranges_and_month_dates():
    page = parse(render_workshop_pack(small_report()))
    assert len(page.having("polygon", "key")) == 1
    assert len(page.having("rect", "span")) == 1  # the police entry with an End Date
    assert len(page.having("circle", "vague")) == 1  # July 2025
    assert len(page.having("rect", "gap-all")) >= 1 and len(page.having("rect", "gap-agency")) >= 1


def test_self_contained_no_external_resources():
    html = render_workshop_pack(small_report())
    assert "http://" not in html and "https://" not in html and "file:" not in html
    page = parse(html)
    for tag, attrs in page.elements:
        assert tag not in {"script", "link", "img", "iframe", "object", "embed"}
        for name in ("src", "href", "xlink:href", "action"):
            if name in attrs:
                assert attrs[name].startswith("#"), (tag, attrs)
    assert "@import" not in page.style and "@font-face" not in page.style
    assert all(target.startswith("#") for target in re.findall(r"url\(([^)]*)\)", html))


def test_text_is_escaped_and_pseudonymised():
    html = render_workshop_pack(small_report())
    page = parse(html)
    assert not [t for t, _ in page.elements if t == "script"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert EVIL in "".join(page.text)
    assert "Jane Example" not in html and "Medication review with Adult C" in html


def test_print_setup_and_marking_on_every_page():
    html = render_workshop_pack(small_report())
    style = parse(html).style
    assert re.search(r"@page\s*{[^}]*size:\s*A4 landscape", style)
    for box in ("@top-left", "@top-right", "@bottom-left"):
        assert re.search(box + r' { content: "OFFICIAL-SENSITIVE"', style), box
    assert 'content: "Page " counter(page) " of " counter(pages)' in style
    assert html.count("OFFICIAL-SENSITIVE") >= 5


def agenda_of(html: str) -> list[str]:
    """The agenda's questions as plain text, in order."""
    items = re.findall(r'<li class="agenda-item"[^>]*><span class="kind">[^<]*</span>(.*?)'
                       r'(?: <span class="refs">|\n<div class="space">)', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", i).split()) for i in items]


def test_questions_for_the_workshop_in_priority_order():
    html = render_workshop_pack(small_report())
    assert agenda_of(html) == [
        # every agency silent, longest first
        "Between 02/07/2025 and 11/11/2025 (133 days) no agency recorded any contact with "
        "Adult C. What was happening for Adult C then, and did anyone know?",
        "Between 04/03/2025 and 19/06/2025 (108 days) no agency recorded any contact with "
        "Adult C. What was happening for Adult C then, and did anyone know?",
        "Between 13/11/2025 and 31/12/2025 (49 days) no agency recorded any contact with "
        "Adult C. What was happening for Adult C then, and did anyone know?",
        "Between 15/01/2025 and 02/03/2025 (47 days) no agency recorded any contact with "
        "Adult C. What was happening for Adult C then, and did anyone know?",
        # a referral never answered ('GP informed' is a referral word), full names first time
        "On 14/01/2025 Northshire Adult Social Care (ASC) recorded sending something to Hill "
        "Surgery (GP) (C0002: “GP informed”); no GP entry in the next 14 days mentions it. Was "
        "it received, and what was done with it?",
        # overlaps with no recorded communication (O1 records some)
        "On 03/03/2025 GP and ASC both had contact with Adult C; no communication between them "
        "is recorded. Was information shared? (O2)",
        # one question per agency for its silences
        "Between 25/06/2025 and 11/11/2025 (140 days) Northshire Police (Police) recorded no "
        "contact with Adult C, while 1 other agency recorded 1 entry. Should Police have been "
        "involved, and did the others say what was happening?",
        "ASC recorded no contact with Adult C in 2 periods, longest first: 04/03/2025 to "
        "30/06/2025 (119 days); 15/01/2025 to 02/03/2025 (47 days); other agencies recorded 1 "
        "entry meanwhile. Was the case open, and did the others tell ASC what was happening?",
        "Between 15/01/2025 and 02/03/2025 (47 days) GP recorded no contact with Adult C, "
        "and no other agency recorded anything either. Was the case open, and who was keeping "
        "it in view?",
    ]
    page = parse(html)
    items = page.having("li", "agenda-item")
    assert len(items) == 9 and [i["id"] for i in items] == [f"q{n}" for n in range(1, 10)]
    fields = page.having("div", "field")
    assert len(fields) == 3 * 9 and all(f["contenteditable"] == "true" for f in fields)
    assert [f["aria-labelledby"] for f in fields[:3]] == ["q1-answer", "q1-learning", "q1-agency"]


def test_marking_with_quotes_is_safe_in_css():
    review = Review(reference="R", subject="Adult D", marking='OFFICIAL "x" </style><script>')
    html = render_workshop_pack(report_for([entry("A", "01/02/2025", "x")], review))
    assert "<script>" not in html
    assert r'content: "OFFICIAL \22 x\22  \3C /style\3E \3C script\3E "' in html


def test_board_template_overrides(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "workshop.html.j2").write_text(
        "<p>{{ reference }} {{ gaps|length }} {{ overlaps|length }}</p>", "utf-8")
    review = Review(reference="BOARD-1", path=tmp_path / "review.toml")
    html = render_workshop_pack(report_for([entry("A", "01/02/2025", "x"),
                                            entry("B", "01/02/2025", "y")], review))
    assert html == "<p>BOARD-1 0 1</p>"


def test_missing_returns_and_empty_review():
    report = report_for([entry("Northshire Police", "01/02/2025", "x")],
                        returned=["Northshire Police"])
    page = parse(render_workshop_pack(report))
    text = " ".join(" ".join(page.text).split())
    assert ("Hill Surgery (GP) was asked for a chronology but no return was received. Was GP "
            "involved with Adult C during the review period?") in text
    assert len(page.having("g", "lane")) == 3
    empty = report_for([], Review())
    assert len(parse(render_workshop_pack(empty)).having("g", "lane")) == 0


@pytest.mark.slow
def test_100000_entries_stay_small():
    """The pack of 100,000 entries stays small and whole (its speed is measured by
    benchmarks/bench_gaps.py, not asserted here)."""
    rng = random.Random(7)
    agencies = [Agency(f"Agency {i:02d}", f"A{i:02d}") for i in range(20)]
    review = Review(reference="BIG", subject="Adult Z", period_start=dt.date(2021, 1, 1),
                    period_end=dt.date(2024, 12, 31), agencies=agencies)
    span = (review.period_end - review.period_start).days
    entries = []
    for agency in agencies:
        for number in range(5000):
            day = review.period_start + dt.timedelta(days=rng.randrange(span))
            entries.append(Entry(agency=agency.name, date=PartialDate(day.year, day.month, day.day),
                                 source="Notes", event=f"Contact {number} " + "x" * 80,
                                 action="Advice", key_event=rng.random() < 0.02))
    report = report_for(entries, review)
    html = render_workshop_pack(report)
    size = len(html.encode("utf-8"))
    assert size < 5_000_000, size
    page = parse(html)
    assert len(page.having("g", "lane")) == 20
    assert len(page.having("rect", "overlap-band")) == len(report.analysis.overlaps)
    assert len(page.having("tbody", "overlap")) == min(OVERLAPS_LISTED, len(report.analysis.overlaps))
    marks = sum(len(page.having(tag, "")) for tag in ("circle", "polygon"))
    days = {(e.agency, e.date.start) for e in entries}
    assert marks - 3 <= len(days)  # one mark per agency-day (3 marks are in the legend)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_renders_in_headless_chromium(tmp_path):
    pack = tmp_path / "workshop.html"
    pack.write_text(render_workshop_pack(small_report()), "utf-8")
    url = pack.resolve().as_uri()
    shot = tmp_path / "shot.png"
    base = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    done = subprocess.run([*base, f"--screenshot={shot}", "--window-size=1600,1200", url],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert png_size(shot) == (1600, 1200) and shot.stat().st_size > 30_000

    def dump_dom(page_url: str) -> subprocess.CompletedProcess:
        return subprocess.run([*base, "--enable-logging=stderr", "--v=0", "--dump-dom", page_url],
                              capture_output=True, text=True, timeout=180, check=False)

    # Console messages reach stderr as ':CONSOLE' lines: check that a broken page shows one.
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>notDefined()</script></body></html>", "utf-8")
    assert ":CONSOLE" in dump_dom(broken.resolve().as_uri()).stderr
    dom = dump_dom(url)
    assert dom.returncode == 0, dom.stderr
    assert ":CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    page = parse(dom.stdout)
    assert len(page.having("g", "lane")) == 3
    assert len(page.having("rect", "overlap-band")) == 2
    if shutil.which("pdfinfo"):
        pdf = tmp_path / "pack.pdf"
        printed = subprocess.run([*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url],
                                 capture_output=True, text=True, timeout=180, check=False)
        assert printed.returncode == 0, printed.stderr
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout).groups())
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


# --------------------------------------------------------------------------------------------
# The pack as the workshop's agenda (issue 13)

TRAIL_REVIEW = Review(
    reference="SAR-2025-09", subject="Adult T", period_start=dt.date(2025, 1, 1),
    period_end=dt.date(2025, 12, 31),
    terms_of_reference=["How agencies shared information about Adult T's memory loss.",
                        "<b>Escaped</b> & shown as text."],
    agencies=[Agency("Hill Surgery", "GP"),
              Agency("Northshire Mental Health Trust", "Mental Health", ("Memory Service",)),
              Agency("Northshire Adult Social Care", "ASC")],
)


def trail_report() -> GapsReport:
    gp, mh, asc = (a.name for a in TRAIL_REVIEW.agencies)
    return report_for([
        entry(gp, "12/03/2025", "Referred to the Memory Service <i>urgently</i>", key=True),
        entry(asc, "13/03/2025", "No referral made to the GP; advised to see own GP"),
        entry(asc, "01/04/2025", "Safeguarding concern sent to Mental Health"),
        entry(mh, "15/04/2025", "Concern from ASC triaged"),
        entry(mh, "30/05/2025", "Seen in clinic after a fall at home"),
        entry(gp, "30/05/2025", "Review; letter from Mental Health filed"),
    ], TRAIL_REVIEW)


def test_the_pack_opens_with_terms_caveats_key_events_then_the_agenda():
    html = render_workshop_pack(trail_report())
    order = [html.index(f'<section id="{s}"') for s in
             ("terms", "key-events", "questions", "timeline", "trails", "patterns", "gaps",
              "overlaps", "entries")]
    assert order == sorted(order)
    assert "<li>How agencies shared information about Adult T&#39;s memory loss.</li>" in html
    assert "&lt;b&gt;Escaped&lt;/b&gt; &amp; shown as text." in html and "<b>Escaped" not in html
    keys = re.search(r'<table class="key-events">.*?</table>', html, re.S).group()
    assert keys.count("<tr") == 2 and '<tr id="k-C0001">' in keys  # the heading and C0001
    assert '<a href="#k-C0001"><polygon class="key"' in html  # its mark links to its row
    assert '<a href="#e-C0001">C0001</a>' in keys
    assert "Referred to the Memory Service &lt;i&gt;urgently&lt;/i&gt;" in keys


def test_trails_are_listed_unanswered_first_with_their_evidence():
    html = render_workshop_pack(trail_report())
    page = parse(html)
    rows = page.having("tr", "trail")
    assert [(r["id"], r["class"]) for r in rows] == [("T1", "trail unanswered"),
                                                      ("T2", "trail answered")]
    section = re.search(r'<section id="trails">.*?</section>', html, re.S).group()
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert ("T1 12/03/2025 GP Mental Health C0001 : Referred to the Memory Service "
            "&lt;i&gt;urgently&lt;/i&gt; no answer no Mental Health entry until 15/04/2025 "
            "(next: C0004 )") in text
    assert ("T2 01/04/2025 ASC Mental Health C0003 : Safeguarding concern sent to Mental Health "
            "answered answered by C0004 after 14 days: Concern from ASC triaged") in text
    agenda = agenda_of(html)
    kinds = [a["data-kind"] for a in page.having("li", "agenda-item")]
    assert kinds == ["all-agency-gap"] * kinds.count("all-agency-gap") + ["trail"] + kinds[
        kinds.index("trail") + 1:] and "trail" not in kinds[kinds.index("trail") + 1:]
    trail = agenda[kinds.index("trail")]
    assert trail.startswith("On 12/03/2025 Hill Surgery (GP) recorded sending something to "
                                "Northshire Mental Health Trust (Mental Health) (C0001: “Referred "
                                "to the Memory Service &lt;i&gt;urgently&lt;/i&gt;”); no Mental "
                                "Health entry until 15/04/2025.")
    patterns = re.search(r'<table class="patterns">.*?</table>', html, re.S).group()
    assert "<td>Falls</td>" in patterns and "May 2025: 1" in patterns
    assert len(page.having("polygon", "pattern")) == 2  # the fall and the safeguarding concern


def test_overlap_verdicts_show_their_evidence():
    gp, asc, police = (a.name for a in REVIEW.agencies)
    html = render_workshop_pack(small_report())
    o1 = re.search(r'<tbody class="overlap" id="O1">.*?</tr>', html, re.S).group()
    assert ('communication recorded</span>\n<span class="evidence"> because '
            '<a href="#e-C0002">C0002</a> says <q>GP informed</q></span>') in o1
    o2 = re.search(r'<tbody class="overlap silent" id="O2">.*?</tr>', html, re.S).group()
    assert "— looked for: GP, Hill Surgery, surgery, ASC, Northshire Adult Social Care, social care" in o2


def test_every_mark_links_to_its_entry_and_labels_never_collide():
    # Ten overlaps a day apart: their labels cannot share one row.
    gp, asc, _ = (a.name for a in REVIEW.agencies)
    entries = []
    for n in range(10):
        day_ = f"{3 + n:02d}/03/2025"
        entries += [entry(gp, day_, "Visit"), entry(asc, day_, "Visit")]
    html = render_workshop_pack(report_for(entries))
    labels = re.findall(r'<text class="overlap-label[^"]*" x="([\d.]+)" y="(-?[\d.]+)"[^>]*>(O\d+)</text>',
                        html)
    assert [name for _, _, name in labels] == [f"O{n}" for n in range(1, 11)]  # none missing
    boxes = [(float(x) - 3.6 * len(name), float(x) + 3.6 * len(name), float(y))
             for x, y, name in labels]
    for i, (left, right, y) in enumerate(boxes):
        for other_left, other_right, other_y in boxes[i + 1:]:
            assert y != other_y or right <= other_left or other_right <= left
    assert len({y for _, _, y in boxes}) > 1
    page = parse(html)
    anchors = [a["href"] for t, a in page.elements if t == "a" and a.get("href", "")[:3] in ("#e-", "#k-")]
    marks = re.findall(r'<g class="marks.*?</g>', html, re.S)
    assert sum(m.count("<circle") for m in marks) == 20
    assert sum(m.count('<a href="#e-') for m in marks) == 20
    ids = {a["id"] for t, a in page.elements if a.get("id", "")[:2] in ("e-", "k-")}
    assert set(anchors) <= {f"#{i}" for i in ids}
    assert len([i for i in ids if i.startswith("e-")]) == 20


def test_empty_one_agency_and_textless_reviews_give_a_pack_that_says_so():
    empty = " ".join(" ".join(parse(render_workshop_pack(report_for([], Review()))).text).split())
    assert "The chronology has no entries" in empty
    assert "The terms of reference are not recorded in review.toml" in empty
    one = report_for([entry("Northshire Police", "01/02/2025", ""),
                      entry("Northshire Police", "02/02/2025", "")])
    text = " ".join(" ".join(parse(render_workshop_pack(one)).text).split())
    assert "Only one agency has entries" in text
    assert "No entry has any text in Event or Action" in text


BOXES_SCRIPT = """<script>
window.addEventListener('load', () => {
  const labels = [...document.querySelectorAll('svg.timeline text')];
  const boxes = labels.map(t => t.getBoundingClientRect());
  const clashes = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.width && b.width && a.left < b.right - 0.5 && b.left < a.right - 0.5
          && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
        clashes.push(labels[i].textContent + '/' + labels[j].textContent);
      }
    }
  }
  const out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify({labels: labels.length, clashes: clashes,
    agenda: document.querySelectorAll('#questions li.agenda-item').length,
    editable: document.querySelectorAll('#questions [contenteditable=true]').length,
    trails: document.querySelectorAll('#trails tr.trail').length,
    linked: document.querySelectorAll('svg.timeline a[href^="#e-"], svg.timeline a[href^="#k-"]').length,
    marks: document.querySelectorAll('svg.timeline .marks circle, svg.timeline .marks polygon').length});
  document.body.appendChild(out);
});
</script>"""


def crowded_report() -> GapsReport:
    """Trails, and fourteen overlaps on consecutive days whose labels need three rows."""
    gp, mh, asc = (a.name for a in TRAIL_REVIEW.agencies)
    entries = trail_report().entries
    entries = [entry(e.agency, e.date.start.strftime("%d/%m/%Y"), e.event, key=bool(e.key_event))
               for e in entries]
    for n in range(14):
        day_ = f"{1 + n:02d}/09/2025"
        entries += [entry(gp, day_, "Visit"), entry(asc, day_, "Visit")]
    return report_for(entries, TRAIL_REVIEW)


def test_similar_questions_are_one_question():
    agenda = agenda_of(render_workshop_pack(crowded_report()))
    grouped = [q for q in agenda if q.startswith("On 14 days")]
    assert grouped == [
        "On 14 days between 01/09/2025 and 14/09/2025 (01/09/2025, 02/09/2025, 03/09/2025, "
        "04/09/2025, 05/09/2025, 06/09/2025 and 8 more) GP and Northshire Adult Social Care "
        "(ASC) both had contact with Adult T; no communication between them is recorded on any of "
        "them. Was information shared? (O2, O3, O4, O5, O6, O7 and 8 more)"]
    assert not any(q.startswith("On 02/09/2025") for q in agenda)
    assert not any(re.search(r"\b1 [a-z]+s\b|the Mental Health|the Ambulance|Did the Mental", q)
                   for q in agenda)  # no formula grammar


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_agenda_trails_and_timeline_labels_in_headless_chromium(tmp_path):
    import json

    report = crowded_report()
    html = render_workshop_pack(report)
    expected_agenda = len(parse(html).having("li", "agenda-item"))
    pack = tmp_path / "measure.html"
    pack.write_text(html.replace("</body>", BOXES_SCRIPT + "</body>"), "utf-8")
    base = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*base, "--window-size=1600,1200", "--virtual-time-budget=5000",
                          "--dump-dom", pack.resolve().as_uri()],
                         capture_output=True, text=True, timeout=180, check=False)
    assert dom.returncode == 0, dom.stderr
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom.stdout, re.S)
    assert found, dom.stdout[-2000:]
    measured = json.loads(found.group(1).replace("&quot;", '"'))
    overlaps = len(report.analysis.overlaps)
    assert overlaps == 15  # the fourteen and 30/05/2025
    assert measured["clashes"] == []
    assert measured["labels"] >= overlaps + len(report.agency_order)  # none missing
    assert measured["agenda"] == expected_agenda == 9
    assert measured["editable"] == 3 * expected_agenda
    assert measured["trails"] == 2
    assert measured["linked"] == measured["marks"] + 2  # every mark, and the two pattern marks
    # And the pack itself, as the workshop will see it.
    shot = tmp_path / "pack.png"
    done = subprocess.run([*base, f"--screenshot={shot}", "--window-size=1400,2400",
                           pack.resolve().as_uri()], capture_output=True, text=True, timeout=180,
                          check=False)
    assert done.returncode == 0 and png_size(shot) == (1400, 2400)


def test_time_words_are_shown_in_the_entries_escaped_and_marked_as_written():
    """A Time kept only as written ('am visit') shows its words where the time would be, marked
    as written and escaped; an End Time follows 'to' (or 'ending' with no start time)."""
    gp, asc, police = (a.name for a in REVIEW.agencies)
    words = entry(police, "07/01/2025", "Neighbour reported shouting")
    words.extras = {"Time (as written)": "<b>am</b> visit & Jane Example"}
    ended = entry(police, "08/01/2025", "Silent 999 call")
    ended.time, ended.end_time = dt.time(10, 0), dt.time(10, 45)
    end_only = entry(police, "09/01/2025", "Call back")
    end_only.extras = {"End Time (as written)": "evening"}
    html = render_workshop_pack(report_for([words, ended, end_only], returned=[police]))
    rows = re.findall(r'<tr id="e-(C\d+)">(?:<td[^>]*>[^<]*</td>){2}<td>([^<]*)</td>', html)
    assert rows == [("C0001", "&lt;b&gt;am&lt;/b&gt; visit &amp; Adult C (as written)"),
                    ("C0002", "10:00 to 10:45"), ("C0003", "ending evening (as written)")]
    assert "Jane Example" not in html
