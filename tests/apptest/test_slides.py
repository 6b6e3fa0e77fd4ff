"""The meeting deck: real PNGs rendered by kaleido through Debian's Chromium, same numbers as the pages."""

from __future__ import annotations

import io
from datetime import date

from pptx import Presentation

from analysis.engine import year as views
from analysis.exports.slides import deck_figures, quarter_deck
from analysis.present import figures
from analysis.store import Store


def test_quarter_deck_has_numbers_charts_and_late_units(sample_db):
    data = views.year_data(Store(sample_db), 2024)
    sel = figures.Selection(2024, 2, date(2024, 6, 30))
    deck = Presentation(io.BytesIO(quarter_deck(data, sel)))
    slides = list(deck.slides)
    n_figs = len(deck_figures(data, sel))
    # Title, headline numbers, one slide per chart, the late-unit table.
    assert len(slides) == 2 + n_figs + 1
    assert n_figs >= 6
    assert deck.slide_width * 9 == deck.slide_height * 16

    title_text = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "Quý II/2024" in title_text and "30/06/2024" in title_text
    numbers = " ".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    summary = views.summary(data, date(2024, 6, 30))
    t = summary["tasks"]
    assert f"{t['done_on_time'] + t['done_late']}/{t['assigned']}" in numbers

    for slide in slides[2 : 2 + n_figs]:
        (picture,) = [s for s in slide.shapes if s.shape_type == 13]  # 13 = picture
        blob = picture.image.blob
        assert blob[:8] == b"\x89PNG\r\n\x1a\n"
        assert picture.image.size == (3200, 1800)  # 1600×900 at scale 2: sharp on a projector
    table_slide = slides[-1]
    assert any(s.has_table for s in table_slide.shapes)
