from portal.reports.suppression import SUPPRESSED, is_small, suppress, suppress_count


def test_counts_of_one_to_four_are_suppressed():
    assert [suppress_count(n) for n in range(7)] == [0, SUPPRESSED, SUPPRESSED, SUPPRESSED,
                                                      SUPPRESSED, 5, 6]
    assert SUPPRESSED == "< 5"


def test_a_figure_resting_on_few_people_is_suppressed_whatever_its_size():
    assert suppress("12,5%", 3) == "< 5"
    assert suppress(1200, 4) == "< 5"
    assert suppress("12,5%", 5) == "12,5%"
    assert suppress(None, None) is None


def test_nobody_and_unknown_are_not_small():
    assert not is_small(0)
    assert not is_small(None)
    assert is_small(1) and is_small(4) and not is_small(5)
def test_any_small_count_suppresses():
    assert suppress(3, 40, 3) == "< 5"
    assert suppress(7, 40, 7) == 7
