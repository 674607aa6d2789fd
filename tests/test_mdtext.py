from generator.mdtext import demote_headings


def test_headings_move_one_level_deeper_except_in_code_and_at_h6():
    body = "## Notes\n\ntext # not a heading\n\n```\n## code\n```\n\n###### Deepest\n#hashtag"
    assert demote_headings(body) == (
        "### Notes\n\ntext # not a heading\n\n```\n## code\n```\n\n###### Deepest\n#hashtag")
