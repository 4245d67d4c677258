"""The one "< 5" rule (portal/suppression.py) that the reports and the trajectories share."""

import pytest

from portal.suppression import SUPPRESSED, is_small, suppress, suppress_count


def test_counts_of_one_to_four_are_suppressed():
    assert [suppress_count(n) for n in range(7)] == [0, SUPPRESSED, SUPPRESSED, SUPPRESSED,
                                                      SUPPRESSED, 5, 6]
    assert SUPPRESSED == "< 5"


@pytest.mark.parametrize("value, expected", [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5),
                                             (120, 120), (None, None)])
def test_a_value_without_counts_is_its_own_count(value, expected):
    assert suppress(value) == expected


def test_a_figure_resting_on_few_people_is_suppressed_whatever_its_size():
    assert suppress("12,5%", 3) == SUPPRESSED
    assert suppress(1200, 4) == SUPPRESSED
    assert suppress("12,5%", 5) == "12,5%"
    assert suppress(None, None) is None


def test_any_small_count_suppresses():
    assert suppress(3, 40, 3) == SUPPRESSED
    assert suppress(7, 40, 7) == 7


def test_a_share_is_hidden_when_those_it_counts_or_those_it_leaves_out_are_few():
    assert suppress(80, 8, 2) == SUPPRESSED  # 8 of 10: the 2 others are few
    assert suppress(20, 2, 8) == SUPPRESSED
    assert suppress(50, 5, 5) == 50
    assert suppress(100, 12, 0) == 100  # all of twelve: nobody is left to point at
    assert suppress(None, 0, 0) is None


def test_an_average_of_fewer_than_5_people_is_hidden():
    assert suppress(140, 3) == SUPPRESSED
    assert suppress(140, 6) == 140


def test_nobody_and_unknown_are_not_small():
    assert not is_small(0)
    assert not is_small(None)
    assert is_small(1) and is_small(4) and not is_small(5)
