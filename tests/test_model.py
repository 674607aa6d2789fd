"""The model: every number a file can hold is finite and has a range."""

from __future__ import annotations

import types
import typing

import pytest
from pydantic import ValidationError

from generator.model import CriteriaConfig, Financials, Measure
from generator.schemas import FILE_KINDS, nested_models
from generator.validate.schema import bounds_at

# Figures that live on the criteria scale: validate/ checks them against the scale itself
# (E106 for scores, E402 for min_score, E403 for anchors), a range no static bound can know.
ON_THE_SCALE = {("CriterionScore", "score"), ("Tier", "min_score")}


def _number_fields():
    models = {m for kind in FILE_KINDS for m in (kind.model, *nested_models(kind.model))}
    for model in sorted(models, key=lambda m: m.__name__):
        for name, field in model.model_fields.items():
            if _leaf(field.annotation) in (int, float):
                yield model, name


def _leaf(tp):
    """The type under Annotated[...] and `| None`; containers (anchors, rates) are left as they are."""
    while typing.get_origin(tp) in (typing.Annotated, typing.Union, types.UnionType):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def test_every_number_in_the_model_has_a_range():
    fields = list(_number_fields())
    assert len(fields) >= 15
    for model, name in fields:
        bounds = bounds_at(model, (name,))
        if (model.__name__, name) in ON_THE_SCALE:
            assert not bounds, f"{model.__name__}.{name}: the scale, not a static bound, limits it"
        elif (model.__name__, name) == ("Criterion", "weight"):
            assert bounds == {"le": 1000}  # the lower bound is E401's: weights must be positive
        else:
            assert ("ge" in bounds or "gt" in bounds) and ("le" in bounds or "lt" in bounds), f"{model.__name__}.{name}"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused_everywhere(value):
    for model, name in _number_fields():
        if _leaf(model.model_fields[name].annotation) is float:
            with pytest.raises(ValidationError) as refused:
                model.__pydantic_validator__.validate_assignment(model.model_construct(), name, value)
            assert refused.value.errors()[0]["type"] == "finite_number", f"{model.__name__}.{name}"


def test_measure_and_money_ranges():
    assert Measure(metric="Cost", current=-5, target=-1e15).target == -1e15
    with pytest.raises(ValidationError):
        Financials(annual_revenue=1e15 + 1e3, revenue_potential=0)
    assert bounds_at(CriteriaConfig, ("currency", "rates", "EUR")) == {"gt": 0, "le": 1e6}
