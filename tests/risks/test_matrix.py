"""The matrix: every score lands in the NPSA band, and the colours match the site's CSS."""

import re
from pathlib import Path

import pytest

from risks import matrix

EXPECTED = {
    **dict.fromkeys(range(1, 4), "low"),
    **dict.fromkeys(range(4, 7), "moderate"),
    **dict.fromkeys(range(8, 13), "high"),
    **dict.fromkeys(range(15, 26), "extreme"),
    # Cannot occur on a 5x5 matrix; the cautious reading puts them in the next band up.
    7: "high",
    13: "extreme",
    14: "extreme",
}


@pytest.mark.parametrize("score", range(1, 26))
def test_every_score_from_1_to_25_has_its_band(score):
    assert matrix.band_for(score).key == EXPECTED[score]


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_every_cell_of_the_matrix(likelihood, impact):
    product = likelihood * impact
    assert matrix.score(likelihood, impact) == product
    assert matrix.band_of(likelihood, impact).key == EXPECTED[product]


def test_boundaries_and_colours():
    assert [(b.name, b.low, b.high, b.colour) for b in matrix.BANDS] == [
        ("Low", 1, 3, "green"),
        ("Moderate", 4, 6, "yellow"),
        ("High", 8, 12, "amber"),
        ("Extreme", 15, 25, "red"),
    ]


@pytest.mark.parametrize("bad", [0, 26, -1])
def test_impossible_scores_are_refused(bad):
    with pytest.raises(ValueError):
        matrix.band_for(bad)


def test_level_names():
    assert [level.name for level in matrix.LIKELIHOOD] == ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
    assert [level.name for level in matrix.IMPACT] == ["Negligible", "Minor", "Moderate", "Major", "Catastrophic"]


def test_band_ranges_cover_every_score_once():
    covered = []
    for band in matrix.BANDS:
        low, high = matrix.band_range(band.key)
        covered.extend(range(low, high + 1))
    assert covered == list(range(1, 26))


def test_svg_fills_match_the_page_css():
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "oakview.css").read_text()
    for band in matrix.BANDS:
        rule = re.search(rf"\.band-{band.key}\s*{{([^}}]*)}}", css).group(1)
        assert band.fill in rule and band.ink in rule
