"""P4 (render): 80,000 notice emails through our pipeline vs bare cached Jinja2, side by side.

    .venv/bin/python bench/notices_render.py [--messages 80000] [--rounds 4]

Both sides render, for every recipient, the same templates with the same values:
  bare      a plain jinja2.Environment (FileSystemLoader, templates compiled once and cached)
            renders the language template's `greeting` and `footer` blocks and the two email
            layouts (templates/email/notice.txt.j2, notice.html.j2). Everything that does not
            depend on the recipient (Babel dates, the Markdown body as HTML and as text) is
            computed once per language beforehand, outside the timing;
  pipeline  portal.notices.render.Renderer.message(recipient), starting cold: its one-off
            per-language work (Markdown → HTML → text, Babel dates) is inside the timing, as are
            the recipient's names joined per language by Babel.
Rounds alternate bare / pipeline, so drift on a shared machine hits both alike.
Bar: pipeline messages/s ≥ 0.8 × bare messages/s. Figures go to stdout and
bench/results/notices_render.json.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, write_result  # noqa: E402

from portal.notices import definition, render  # noqa: E402
from portal.notices.formats import join  # noqa: E402
from portal.notices.render import Recipient, Renderer  # noqa: E402
from portal.notices.text import colon  # noqa: E402
from portal.synthetic.families import LANGUAGE_WEIGHTS as LANG_WEIGHTS  # noqa: E402

BAR = 0.8
NOTICE = ROOT / "notices" / "back-to-school-2026-27.yml"
GIVEN = ["Ana", "Bảo", "Chloé", "Dmitri", "Émile", "Fatima", "Giang", "Hugo", "Inés", "Jamal"]
FAMILY = ["Nguyễn", "García", "Smith", "Dubois", "Trần", "Peña Ortiz", "O'Brien", "Lê"]


def recipients(count: int, seed: int = 7) -> list[Recipient]:
    """Synthetic recipients: 1–2 guardians, 1–3 students, the district's language mix."""
    rng = random.Random(seed)
    langs = rng.choices(list(LANG_WEIGHTS), list(LANG_WEIGHTS.values()), k=count)
    out = []
    for n, lang in enumerate(langs):
        family = rng.choice(FAMILY)
        names = tuple(f"{rng.choice(GIVEN)} {family}" for _ in range(rng.choice((1, 1, 2))))
        kids = tuple(rng.sample(GIVEN, rng.choice((1, 2, 3))))
        out.append(Recipient(f"family{n}@example.org", lang, names, kids))
    return out


class Bare:
    """The floor: the same Jinja2 renders, with every value prepared in advance."""

    def __init__(self, renderer: Renderer) -> None:
        env = Environment(
            loader=FileSystemLoader(str(ROOT / "templates")),
            undefined=StrictUndefined,
            autoescape=False,  # noqa: S701 - Markdown/text templates
            keep_trailing_newline=True,
        )
        html_env = Environment(
            loader=FileSystemLoader(str(ROOT / "templates")),
            undefined=StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
        )
        self.text = env.get_template("email/notice.txt.j2")
        self.html = html_env.get_template("email/notice.html.j2")
        self.lang: dict[str, tuple] = {}
        for lang in LANG_WEIGHTS:
            parts = renderer.parts(lang)  # prepared outside the timing
            template = env.get_template(render.language_template(renderer.notice.kind, lang))
            context = dict(renderer.context(lang, "email"))
            values = {"lang": lang, "colon": colon(lang), "parts": parts, "labels": parts.labels,
                      "body_html": Markup(parts.body_html)}  # noqa: S704  # fmt: skip
            self.lang[lang] = (template, context, values)
        self.people = {}

    def prepare(self, people: list[Recipient]) -> None:
        """Each recipient's values as the templates want them (outside the timing)."""
        self.people = {
            id(r): {
                "address": r.address,
                "names": join(r.names, r.lang),
                "students": join(r.students, r.lang),
            }  # fmt: skip
            for r in people
        }

    def message(self, recipient: Recipient) -> tuple[str, str, str]:
        template, context, values = self.lang[recipient.lang]
        context = {**context, "recipient": self.people[id(recipient)]}
        blocks = template.blocks
        greeting = "".join(blocks["greeting"](template.new_context(context))).strip()
        footer = "".join(blocks["footer"](template.new_context(context))).strip()
        page = {**values, "greeting": greeting, "footer": footer}
        return values["labels"]["subject"], self.text.render(page), self.html.render(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=80_000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    notice = definition.load(NOTICE)
    people = recipients(args.messages)
    chunks = [people[i :: args.rounds] for i in range(args.rounds)]
    bare = Bare(Renderer(notice))
    bare.prepare(people)
    pipeline = Renderer(notice)  # cold: its per-language work is timed
    # warm-up (both sides): compile templates, fill CPU caches
    for r in people[:500]:
        bare.message(r)
        Renderer(notice).message(r)
    times = {"bare": 0.0, "pipeline": 0.0}
    sizes = {"bare": 0, "pipeline": 0}
    for chunk in chunks:
        start = time.perf_counter()
        for r in chunk:
            subject, text, html = bare.message(r)
            sizes["bare"] += len(text) + len(html)
        times["bare"] += time.perf_counter() - start
        start = time.perf_counter()
        for r in chunk:
            message = pipeline.message(r)
            sizes["pipeline"] += len(message.text) + len(message.html)
        times["pipeline"] += time.perf_counter() - start
    assert sizes["bare"] == sizes["pipeline"], "both sides must render the same messages"
    rate = {k: args.messages / v for k, v in times.items()}
    ratio = rate["pipeline"] / rate["bare"]
    result = {
        "messages": args.messages,
        "rounds": args.rounds,
        "seconds": {k: round(v, 3) for k, v in times.items()},
        "messages_per_s": {k: round(v) for k, v in rate.items()},
        "ratio_pipeline_to_bare": round(ratio, 3),
        "bar": BAR,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "passed": ratio >= BAR,
        "bytes_per_message": round(sizes["pipeline"] / args.messages),
    }
    path = write_result("notices_render", result)
    print(f"bare Jinja2 : {args.messages:,} messages in {times['bare']:.2f} s "
          f"({rate['bare']:,.0f}/s)")  # fmt: skip
    print(f"pipeline    : {args.messages:,} messages in {times['pipeline']:.2f} s "
          f"({rate['pipeline']:,.0f}/s)")  # fmt: skip
    print(f"ratio {ratio:.2f} (bar ≥ {BAR}) → {'PASS' if ratio >= BAR else 'FAIL'}; {path}")
    sys.exit(0 if ratio >= BAR else 1)


if __name__ == "__main__":
    main()
