"""The Splink model that links a leftover record (no valid ID number) to a person.

Records with a valid ID number are linked exactly, in dbt. What is left has a wrong length, a
broken check character or no ID at all, often with a typo'd name too (同音字, 形近字). Each
leftover is compared with every candidate person (one per valid ID) that shares a block:

- the ID itself: the same first 17 characters (only the check character is wrong), one edit
  (a digit dropped or repeated), two edits;
- the name: the same, or one character replaced with the surname kept; term frequencies make a
  common name (重名) weigh less than a rare one;
- the birth date digits of the ID, the county, and the household head's ID.

Twins share a household, a birth date and nearly a name, but not the ID's order code, so the ID
comparison is what separates them.
"""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

#: A random pair of different people sharing 17 ID characters, or being one or two edits apart,
#: is rarer than random sampling can observe; these u values are upper bounds from the ID's
#: structure (6 region, 8 birth, 3 order digits) rather than estimates. Random sampling skips
#: the ID comparison (see `settings(with_id=False)`), so they are never overwritten.
ID_U_PROBABILITIES = [1e-9, 1e-8, 1e-6, 1.0]

SAME_FIRST_17 = block_on("substr(id_number, 1, 17)")

BLOCKING_RULES = [
    SAME_FIRST_17,
    block_on("person_name", "county_code"),
    block_on("substr(id_number, 1, 6)", "birth_digits"),
    block_on("substr(id_number, 1, 6)", "substr(id_number, length(id_number) - 3, 4)"),
]


def _id_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="id_number",
        comparison_levels=[
            cll.NullLevel("id_number"),
            cll.CustomLevel(
                "substr(id_number_l, 1, 17) = substr(id_number_r, 1, 17)",
                label_for_charts="same first 17 characters",
            ),
            cll.DamerauLevenshteinLevel("id_number", 1),
            cll.DamerauLevenshteinLevel("id_number", 2),
            cll.ElseLevel(),
        ],
    ).configure(u_probabilities=ID_U_PROBABILITIES)


def _name_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="person_name",
        comparison_levels=[
            cll.NullLevel("person_name"),
            cll.ExactMatchLevel("person_name").configure(tf_adjustment_column="person_name"),
            cll.CustomLevel(
                "length(person_name_l) = length(person_name_r)"
                " and substr(person_name_l, 1, 1) = substr(person_name_r, 1, 1)"
                " and levenshtein(person_name_l, person_name_r) = 1",
                label_for_charts="one given-name character replaced",
            ),
            cll.ElseLevel(),
        ],
    )


def settings(with_id: bool = True) -> SettingsCreator:
    """The model's settings; `with_id=False` leaves out the ID comparison, whose u values are
    set rather than sampled (its edit distances are also the costliest comparison to run)."""
    others = [
        _name_comparison(),
        cl.ExactMatch("birth_digits"),
        cl.ExactMatch("county_code"),
        cl.ExactMatch("household_head_id"),
    ]
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_id",
        comparisons=[_id_comparison(), *others] if with_id else others,
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_intermediate_calculation_columns=False,
    )
