"""QuickSelect (portal/widgets.py) writes the markup Django's own select template writes, escaped the same way."""

from django import forms

from portal.widgets import QuickSelect


class _Form(forms.Form):
    fruit = forms.ChoiceField(choices=[("", "All"), ("a&b", "Apples & <pears>"), ("c", "Cherries")],
                              help_text="Pick one", required=False)
    grouped = forms.ChoiceField(choices=[("Red", [("r", "Raspberry")]), ("g", "Grape")], required=False)


def _both(name, data):
    quick, slow = _Form(data), _Form(data)
    quick.fields[name].widget = QuickSelect(choices=quick.fields[name].choices)
    return str(quick[name]), " ".join(str(slow[name]).split()).replace("> <", "><")


def test_a_quick_select_is_djangos_select_with_the_choice_selected_and_everything_escaped():
    quick, django = _both("fruit", {"fruit": "a&b"})
    assert quick == django
    assert 'value="a&amp;b" selected' in quick and "Apples &amp; &lt;pears&gt;" in quick
    assert 'aria-describedby="id_fruit_helptext"' in quick


def test_a_quick_select_keeps_option_groups_and_an_error_marks_it_invalid():
    quick, django = _both("grouped", {"grouped": "r"})
    assert quick == django and '<optgroup label="Red">' in quick
    invalid, django_invalid = _both("fruit", {"fruit": "nothing"})
    assert invalid == django_invalid and 'aria-invalid="true"' in invalid
