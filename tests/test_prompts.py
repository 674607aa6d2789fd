"""Template prompts: written in one form by the scaffold, recognised in every form people leave them."""

from __future__ import annotations

from account_playbooks.core.prompts import PROMPTS, is_prompt, is_written, prompt


def test_the_scaffolds_prompt_lines_are_recognised_even_when_edited():
    assert is_prompt(prompt("Account Goals"))
    assert is_prompt(prompt("A section criteria.yml made up"))
    assert is_prompt("> **Prompt:** something else entirely")
    assert is_prompt("  >prompt (replace this line): ...")


def test_older_bare_prompts_are_recognised_and_prose_is_not():
    assert is_prompt("  " + PROMPTS["Customer's Business"].replace(" ", "  ") + " ")
    assert not is_prompt("> A quote from the customer's CTO.")
    assert not is_prompt("Prompt payment is their priority.")


def test_a_section_is_written_when_it_says_more_than_its_prompt():
    assert not is_written(prompt("Relationships"))
    assert not is_written("\n" + prompt("Relationships") + "\n\n")
    assert is_written(prompt("Relationships") + "\n\nMaria decides.")
