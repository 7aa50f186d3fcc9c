from fractions import Fraction

from django.utils import translation

from huanjie.cycles.profiles import display_value


def test_values_are_shown_in_the_users_language():
    assert display_value(Fraction(1, 3)) == "1/3"
    assert display_value((3, 7)) == "3–7"
    assert display_value(20) == "20"
    with translation.override("en"):
        assert display_value(True) == "yes"
        assert display_value(None) == "not set"


def test_the_relations_a_proxy_may_be_are_named():
    with translation.override("zh-hans"):
        assert display_value(("spouse", "parent")) == "配偶、父母"
    with translation.override("en"):
        assert display_value(("spouse", "sibling")) == "spouse, sibling"
