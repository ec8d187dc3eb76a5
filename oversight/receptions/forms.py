"""The form of a street's recommendation for a reception; the service decides (the form only reads the input)."""
from __future__ import annotations

from django import forms

from deputies.models import Deputy, StreetCommittee
from dutyadmin.forms import DeputySelect, FriendlyFormMixin


class DeputyByStreetField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.street_committee.name}）" if obj.street_committee_id else obj.name


class RecommendationForm(FriendlyFormMixin, forms.Form):
    street_committee = forms.ModelChoiceField(label="推荐的街道工委", queryset=StreetCommittee.objects.none(),
                                              error_messages={"required": "请选择推荐的街道工委。",
                                                              "invalid_choice": "请从列表中选择街道工委。"})
    deputy = DeputyByStreetField(label="推荐的代表", queryset=Deputy.objects.none(), widget=DeputySelect,
                                 error_messages={"required": "请选择推荐的代表。",
                                                 "invalid_choice": "请从列表中选择本街工委在任的代表。"})
    note = forms.CharField(label="推荐说明", max_length=500, required=False,
                           help_text="可不填；如推荐理由、拟反映的问题。")
    # The recommendation the user saw (its id, 0 for none): a change made meanwhile is a conflict, not overwritten.
    current = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, streets, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street_committee"].queryset = streets
        self.fields["deputy"].queryset = deputies.select_related("street_committee").order_by(
            "street_committee__code", "name")
        if streets.count() == 1:
            self.fields["street_committee"].initial = streets.first().pk
            self.fields["street_committee"].widget = forms.HiddenInput()
