"""The one registry of diagnostic codes.

Every code a user can see is declared here once, with the text the error reference page is
generated from, so the documentation cannot drift from what `kam validate` prints.
Codes are stable: never renumber one, retire it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    # A warning criteria.yml lets through: shown like any other, never stopping `--strict` (GitHub's
    # annotations have the same three levels).
    NOTICE = "notice"


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    meaning: str
    example: str  # a bad input, as the user would write it
    fix: str
    # The calendar brings it, not an edit: a file that was clean yesterday has it today. It is
    # what the site's attention list is for, so `--strict` reports it but does not stop on it.
    dated: bool = False

    @property
    def default_severity(self) -> Severity:
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR


GROUPS = {
    "E0": "Reading and syntax",
    "E1": "Schema",
    "E2": "References",
    "E3": "Plan rules",
    "E4": "Criteria and tiers",
    "E5": "CRM import input",
    "E6": "Audiences, sharing and the QBR brief",
    "W": "Warnings",
}

_ALL = [
    # -- E0xx: reading and syntax ------------------------------------------------------------
    Code("E001", "YAML syntax error",
         "The file is not valid YAML; the parser stopped at the position shown. For an indentation mistake the "
         "message adds which line probably is wrong, comparing it with the line above.",
         "name: Northwind\nindustry: [Logistics", "Close the bracket, quote, or fix the indentation at the position shown."),
    Code("E002", "Not UTF-8",
         "The file contains bytes that are not valid UTF-8 text.",
         "name: Caf\\xe9 (saved as Latin-1)", "Save the file as UTF-8."),
    Code("E003", "Empty file",
         "The file (or front matter) has no content, only comments, where a mapping or team.yml's list is expected. "
         "stakeholders.yml and goals.yml may be empty: that is a list with no entries yet.",
         "(an empty criteria.yml)", "Fill it in."),
    Code("E004", "Front matter missing or unterminated",
         "A Markdown file that needs YAML front matter does not start with `---` or never closes it.",
         "---\ndate: 2026-09-30\n# Q3 QBR", "Start the file with a `---` line and close the front matter with another `---` line."),
    Code("E005", "Tab in indentation",
         "YAML does not allow tab characters for indentation (a tab in the text of a `|` or `>` block is fine).",
         "scores:\n\trevenue_potential: {score: 8}", "Indent with spaces."),
    Code("E006", "Duplicate key",
         "A mapping names the same key twice; YAML parsers silently keep only one, so data would be lost.",
         "name: Northwind\nname: Northwind Logistics", "Keep one of the two keys."),
    Code("E007", "File too large",
         "The file is over the size limit for account files and is not read.",
         "(a 50 MB stakeholders.yml)", "Split the content or remove what does not belong in an account plan."),
    Code("E008", "Too many YAML aliases",
         "Expanding the file's anchors and aliases would create an unreasonably large document (an alias bomb).",
         "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b] ...", "Write the data out; account files do not need anchors."),
    Code("E009", "Link outside the repository",
         "A file or folder is a symbolic link that points outside the repository; it is not followed.",
         "accounts/acme -> /home/me/acme", "Copy the files into the repository."),
    Code("E010", "Not an account folder",
         "A folder in accounts/ has no account.yml, or the folder name is not a kebab-case id.",
         "accounts/Northwind_Logistics/", "Rename the folder to a kebab-case id and add account.yml (or run `kam new account <id>`)."),
    Code("E011", "Unexpected file",
         "A file in accounts/ or in an account folder is not one of the known account files.",
         "accounts/acme/notes.txt", "Move the content into strategy.md or a review, or delete the file."),
    Code("E012", "Required file missing",
         "A file the repository or an account needs does not exist.",
         "accounts/acme/ without strategy.md", "Create the file; `kam new account <id>` shows a complete folder."),
    Code("E013", "Bad review file name",
         "Review files are named `YYYY-MM-DD-slug.md`, and the date in the name must equal the review's `date`.",
         "reviews/q3-review.md", "Rename the file, e.g. `reviews/2026-09-30-q3-qbr.md`."),
    Code("E014", "Template error in a playbook page",
         "A playbook page that opts in to macros (`render_macros: true`) is not valid Jinja.",
         "{{ tier_table( }}", "Close the expression or the block at the position shown."),
    Code("E015", "YAML merge key",
         "A mapping uses the YAML merge key `<<` to copy the keys of an anchored mapping. Account files "
         "do not support it, so that every value is written (and reported) where it applies.",
         "defaults: &defaults {currency: EUR}\nfinancials:\n  <<: *defaults\n  annual_revenue: 1200000",
         "Write the keys out in the mapping instead of `<<: *anchor`."),
    Code("E016", "Markdown the site cannot render in time",
         "A paragraph of a plan or review holds brackets or backticks that make the site's Markdown renderer "
         "scan the paragraph again for each of them, so the build's time grows with the square of their number "
         "(a line of 30,000 `[` takes minutes, a 1 MB one hours): `[` that are never closed or nested more than "
         "8 deep, link destinations `](` that never close, or backtick runs of more than 16 different lengths. "
         "The build shows such a paragraph as code, unrendered.",
         "[[[[[[[[[[[[[[[[[[[[[[[[ ... (thousands, never closed)",
         "Close the brackets, or escape a bracket meant as text as `\\[`; put code in a fenced block."),
    Code("E017", "Paragraph with too much markup",
         "One paragraph (the lines between two blank lines) holds so many markup characters for its length "
         "(`*`, `_`, backticks, brackets, `\\`, `<`, `&`, ...) that rendering it would take seconds: the "
         "renderer copies the paragraph for each piece of markup it finds. The build shows it as code, unrendered.",
         "(a 100,000-character line of \\*\\*\\*...)", "Split the paragraph with blank lines, or put the text in a "
         "fenced code block."),
    Code("E018", "Merge conflict left in a file",
         "A file still holds the markers git writes around a merge conflict (`<<<<<<<`, `|||||||`, `=======`, "
         "`>>>>>>>` at the start of a line). The file is not read: in a plan both sides would be published, and YAML "
         "would report the markers as a syntax error. The message names the line of every marker of the block. Git "
         "writes markers at the start of a line, so an example of one in a playbook page is written indented.",
         "<<<<<<< HEAD\nowner: reed-clapper\n=======\nowner: ines-halvorsen\n>>>>>>> origin/main",
         "Keep the lines that should stay from both sides, delete the marker lines, and commit the result."),
    Code("E019", "Control or bidirectional character",
         "The file holds a character that is not text and cannot be seen: a control character other than tab and "
         "line break (a vertical tab or form feed pasted from Word, an escape sequence, a lone carriage return), a "
         "Unicode line or paragraph separator, or a bidirectional control (U+202A-U+202E, U+2066-U+2069, U+200E, "
         "U+200F, U+061C), which makes text display in another order than it is stored. The file is not read; the "
         "message names the character and its exact column.",
         "name: Acme\u202eetile", "Delete the character (search for its code point in your editor), or retype the text."),
    Code("E020", "Invisible character in an id, key or fixed value",
         "A value that must have a fixed form (an id or a reference to one, a key, a listed word, a number, a date, "
         "a code) contains a zero-width character (U+200B-U+200D, U+2060-U+2064, U+FEFF), a soft hyphen or a "
         "no-break space, so it looks right and matches nothing. In free text (names, titles, reasons, Markdown) "
         "these characters are fine: languages and emoji need them.",
         "owner: reed\u200b-clapper", "Delete the character at the column shown, or retype the value."),
    Code("E021", "Comma inside a number",
         "A number is written with a decimal comma or thousands separators. Inside a `{...}` mapping the comma "
         "separates entries, so `{score: 7,5}` is a score of 7 and a stray key 5; elsewhere the value is text.",
         "financials: {currency: EUR, annual_revenue: 2,803,660}",
         "Write numbers with a point for decimals and no thousands separators: `7.5`, `2803660`."),
    Code("E022", "Curly quotes used as quotes",
         "A value is enclosed in typographic quotes (“ ” ‘ ’), which a word processor puts in place of straight ones. "
         "YAML does not take them for quotes, so a ': ' or ',' inside the value ends it.",
         "why: “Strong: growing fast”", "Enclose the value in straight quotes: `\"Strong: growing fast\"`."),
    # -- E1xx: schema ------------------------------------------------------------------------
    Code("E101", "Wrong type",
         "A value has the wrong type (for example a list where a mapping is expected, or text where a number is). "
         "YAML reads some unquoted words and numbers as other types (`NO`, `yes`, `off` as booleans, `0755` as an "
         "octal number); the message then says what YAML read.",
         "region: NO", "Write the value in the type the file format asks for; quote text that YAML would read "
         "otherwise (`region: \"NO\"`), and write numbers without thousands separators."),
    Code("E102", "Missing field",
         "A required field is absent.",
         "- id: maria-gomez\n  title: VP Supply Chain   # no name", "Add the field."),
    Code("E103", "Unknown key",
         "A key is not part of the file format. Misspelt keys are errors because their data would be silently ignored.",
         "sentimnet: supporter", "Fix the spelling (the message suggests the closest known key) or remove the key."),
    Code("E104", "Value not allowed",
         "A value is not one of the values the field accepts.",
         "role: decider", "Use one of the listed values."),
    Code("E105", "Invalid date",
         "A date is not an ISO date (YYYY-MM-DD) or does not exist in the calendar.",
         "due: 2026-02-30", "Write a real date as YYYY-MM-DD."),
    Code("E106", "Number out of range",
         "A number is outside its allowed range, such as a criterion score outside the scale.",
         "revenue_potential: {score: 12, why: ...}", "Use a number within the range the message gives."),
    Code("E107", "Invalid id",
         "Ids are kebab-case: lower-case letters, digits and single hyphens.",
         "- id: Maria Gomez", "Write the id as kebab-case, e.g. `maria-gomez`."),
    Code("E108", "Duplicate id",
         "Two entries share an id that must be unique in its scope; the message names both places.",
         "- id: carl-berg\n...\n- id: carl-berg", "Give each entry its own id."),
    Code("E109", "Date in the future",
         "A date that records something that already happened lies after today.",
         "date: 2027-01-15   # in a review file", "Correct the date, or use `--today` when validating as of another day."),
    Code("E111", "Invalid value",
         "A value is of the right type but not acceptable (for example an empty text or a malformed e-mail address).",
         "email: jane.doe", "Write a valid value."),
    Code("E113", "Id that Windows reserves",
         "An id (an account folder, or a stakeholder, goal, team member or tag id) is a name Windows keeps for a "
         "device: CON, PRN, AUX, NUL, COM1 to COM9 or LPT1 to LPT9, in any case. No file or folder on Windows can "
         "have it, so a repository holding `accounts/con/` cannot be checked out there, and a site page named after "
         "such an id cannot be written.",
         "accounts/con/   # or: - id: nul", "Add a word to the id (`con-systems`), and rename the folder and the "
         "references to it."),
    Code("E114", "Id too long",
         "An id is longer than 64 characters. Ids become folder and file names (`accounts/<id>/`, "
         "`site/accounts/<id>/stakeholders/index.html`), and Windows limits a whole path to 260 characters unless "
         "long paths are switched on; most file systems limit one name to 255 bytes.",
         "- id: the-regional-procurement-director-for-northern-europe-and-the-baltic-states",
         "Shorten the id; the display name (`name:`) can stay as long as it is."),
    Code("E120", "Not a finite number",
         "A number is `.nan` (not a number) or infinite: `.inf`, `-.inf`, or a figure too large for YAML to "
         "store, such as `1.0e+400`, which it reads as infinity. No score, total or chart can be computed from it. "
         "(A whole number with hundreds of digits is reported as out of range, E106.)",
         "weight: .nan", "Write the actual figure, within the range the message gives."),
    Code("E121", "Contract renews before the customer relationship began",
         "account.yml's `contract.renewal` is earlier than `customer_since`: one of the two dates is wrong, and the "
         "renewal rule (W312) and the calendars would count from it.",
         "customer_since: 2021-06-01\ncontract: {renewal: 2020-06-01, term_months: 12}",
         "Write the date the current contract renews (its term ends), or correct `customer_since`."),
    # -- E2xx: references --------------------------------------------------------------------
    Code("E201", "Unknown team member",
         "A field that names one of our people (owner, executive_sponsor, team, relationship_owner, action owner) names no id in team.yml.",
         "owner: jane-do", "Use an id from team.yml, or add the person there."),
    Code("E202", "Unknown account",
         "`parent` names no account folder.",
         "parent: northwind", "Use the id (folder name) of an existing account."),
    Code("E203", "Unknown criterion",
         "An account scores a criterion that criteria.yml does not define.",
         "scores: {revenue_potental: {score: 8, why: ...}}", "Use a criterion id from criteria.yml."),
    Code("E204", "Unknown stakeholder",
         "`reports_to`, a goal's `sponsor` or an ask's `of` (strategy.md) names no stakeholder of the same account.",
         "reports_to: ceo", "Use the id of a stakeholder in the account's stakeholders.yml."),
    Code("E205", "Unknown attendee",
         "A review attendee is neither a stakeholder of the account nor a person in team.yml.",
         "attendees: [maria-gomes]", "Use stakeholder ids or team.yml ids."),
    Code("E206", "Unknown goal",
         "A review action's `goal` or an ask's `goal` (strategy.md) names no goal of the same account.",
         "actions: [{title: ..., owner: jane-doe, due: 2026-11-15, goal: apac}]", "Use a goal id from the account's goals.yml."),
    Code("E207", "Unresolved wiki-link",
         "A `[[...]]` link in a Markdown body names no account, stakeholder or person.",
         "See [[northwind#maria]] for details.", "Link to `[[account-id]]`, `[[account-id#stakeholder-id]]` or `[[@person-id]]`."),
    Code("E208", "Reporting cycle",
         "The reports_to chain loops back on itself, so the stakeholder map has no top.",
         "- id: a\n  reports_to: b\n- id: b\n  reports_to: a", "Make the most senior person report to nobody (`reports_to: null`)."),
    Code("E209", "Parent account cycle",
         "Following `parent` from an account leads back to the same account.",
         "parent: northwind-logistics   # in northwind-logistics/account.yml", "Point `parent` at the holding company, or set it to null."),
    Code("E210", "Unknown name in a playbook page",
         "A playbook page calls a macro or uses a variable that does not exist.",
         "{{ tier_tabel() }}", "Use one of the macros the guide lists (Guide, The site; the message suggests the closest)."),
    Code("E211", "Unsafe link",
         "A link or image in a plan or review uses a URL scheme that could run code or load a document "
         "in the reader's browser (`javascript:`, `data:`, `vbscript:`, `file:`, ...). The site allows "
         "`http`, `https`, `mailto`, relative paths and `#` anchors; the build removes any other link.",
         "[deck](javascript:alert(1))", "Link to the document's https address, or to a page of the site."),
    Code("E220", "Image from a host the site does not allow",
         "An image in a plan or review loads from another host (`https://host/p.png`, `//host/p.png`, or a reference "
         "definition an image uses). Every reader's browser would call that host when the page opens: a tracking pixel "
         "on an internal site, and a broken picture where the site is read without internet access. Images come from "
         "the repository (a relative path), or from the hosts listed in `criteria.yml` under `content.image_hosts`; "
         "the build drops any other image's source.",
         "![org chart](https://tracker.example.net/p.png)",
         "Commit the image and link it by a relative path, or add its host to `content: {image_hosts: [...]}` in "
         "criteria.yml if the team trusts it."),
    Code("E212", "Macro called with wrong arguments",
         "A playbook page calls one of the macros with an argument missing, one too many, or a keyword it does not take.",
         "{{ account_link() }}", "Call it as the message shows, e.g. `{{ account_link('acme-corporation') }}`."),
    Code("E215", "Not allowed in a playbook page",
         "A playbook page with `render_macros: true` may call the playbook's macros and use `{% if %}`, `{% for %}` "
         "and `{% set name = literal %}`, nothing else, because anyone who can open a pull request can edit a page "
         "and CI renders it. Not allowed: attribute or item access on any value (`x.__class__`, `x['key']`, "
         "`'{0}'.format(x)`; only `loop.index` and the other plain `loop` values are), names that lead back into "
         "Python or the build (`config`, `page`, any other mkdocs-macros variable, `range`, `lipsum`, `cycler`, "
         "`namespace`, `self`, names starting with `_`), `{% import %}`, `{% include %}`, `{% extends %}`, "
         "`{% macro %}`, `{% call %}`, `*`, `**`, `%`, `/`, calls of anything but a macro, and nested loops that "
         "would run more than 10,000 times. The build renders pages in Jinja's sandbox as well, so what this "
         "check missed still fails there (E218).",
         "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
         "Call a macro with literal arguments, e.g. `{{ account_link('acme-corporation') }}`; for data no macro "
         "gives, ask for a macro in generator/site/macros.py (a reviewed code change)."),
    Code("E216", "Filter or test not allowed in a playbook page",
         "A playbook page uses a Jinja filter or test outside the short list a page may use. Filters such as "
         "`attr`, `map`, `format`, `safe` or `selectattr` reach attributes, format strings or mark text as HTML. "
         "Filters allowed: capitalize, count, default (d), first, int, last, length, lower, round, title, trim, "
         "upper. Tests allowed: defined, undefined, none, number, string, even, odd, divisibleby, eq, ne, lt, le, "
         "gt, ge, in, true, false, sameas.",
         "{{ tier_table()|attr('__class__') }}", "Use an allowed filter, or write the text out."),
    Code("E217", "Raw HTML in a playbook page",
         "A playbook page contains raw HTML (a tag, a comment, `<script>`) outside code, and the repository does "
         "not allow it. Raw HTML in the playbook runs in every reader's browser, and anyone who can open a pull "
         "request can edit the playbook, so it is the repository's decision, made in mkdocs.yml; unset, it is off. "
         "While it is off the build shows the HTML as text. Autolinks such as `<https://example.com>` are not HTML.",
         "<script>alert(1)</script>",
         "Write it in Markdown, or put it in a code span or block to show it. To allow raw HTML in the playbook, "
         "trust everyone who can merge to it and set `playbook_html: true` under the kam plugin in mkdocs.yml "
         "(`plugins: [search, {kam: {playbook_html: true}}]`)."),
    Code("E218", "Playbook page failed to render",
         "A playbook page with `render_macros: true` passed validation but failed while the site was built: a "
         "macro raised an error, or the sandbox the page is rendered in refused something (an attribute, a name, "
         "an operator, output over 5,000,000 characters). The build stops and publishes nothing; `kam serve` shows "
         "the error on the page instead.",
         "{{ tier_table() + 1 }}", "Fix the expression on the line shown; run `kam validate` first."),
    # -- E3xx: plan rules --------------------------------------------------------------------
    Code("E301", "Plan section missing",
         "strategy.md lacks a `##` section that criteria.yml requires (plan-wide or for the account's tier). "
         "When a heading was probably meant as the section (another level such as `###`, no space after `##`, "
         "a curly apostrophe, a small typo), the error is at that heading and says what differs.",
         "(strategy.md without `## Account Strategy`)", "Add the section as a `##` heading with its content."),
    Code("E302", "Plan section empty",
         "A required plan section has a heading but no content.",
         "## Relationships\n## Customer's Business", "Write the section's content under its heading."),
    Code("E303", "Criterion score missing",
         "An account does not score every criterion in criteria.yml, so its weighted score cannot be computed.",
         "scores: {revenue_potential: {score: 8, why: ...}}   # three criteria missing", "Score every criterion, with a reason."),
    Code("E304", "Duplicate plan section",
         "The same `##` section appears twice in strategy.md.",
         "## Relationships\n...\n## Relationships", "Merge the two sections."),
    # -- E4xx: criteria and tiers ------------------------------------------------------------
    Code("E401", "Weight not positive",
         "A criterion's weight must be greater than zero.",
         "weight: 0", "Give the criterion a positive weight, or remove it."),
    Code("E402", "Tier thresholds out of order",
         "Tiers are listed highest first with strictly decreasing `min_score`, each inside the scale.",
         "- {id: gold, min_score: 6.5}\n- {id: silver, min_score: 7.0}", "Order tiers from the highest threshold down."),
    Code("E403", "Anchor outside the scale",
         "A score anchor names a score outside the scale.",
         "anchors: {0: none}", "Anchor only scores within the scale."),
    Code("E404", "Invalid scale",
         "The scale's min must be below its max.",
         "scale: {min: 10, max: 1}", "Write the lowest score as min and the highest as max."),
    Code("E405", "Unknown code in severity",
         "`severity` in criteria.yml names a code that does not exist or that cannot change severity.",
         "severity: {W999: error}", "Use a warning code from the reference page."),
    Code("E406", "Currency without an exchange rate",
         "criteria.yml declares `currency` (a base currency and exchange rates), so portfolio totals are converted "
         "to the base; an account's revenue is in a currency that is neither the base nor in `rates`, so it "
         "could not be added in.",
         "financials: {currency: CHF, ...}   # criteria.yml: currency: {base: USD, rates: {EUR: 1.08}}",
         "Add the currency's rate to `currency.rates` in criteria.yml (units of the base for one unit of it), "
         "or correct the account's currency code."),
    Code("E407", "Rate for the base currency",
         "`currency.rates` lists the base currency itself; the base is worth 1 by definition, and another rate "
         "for it would contradict that.",
         "currency: {base: USD, rates: {USD: 1.0, EUR: 1.08}}", "Remove the base currency from `rates`."),
    # -- E425-E429: the build with another engine (`kam build --engine`) ------------------------
    Code("E425", "Unsafe content in the rendered tree",
         "`kam build --engine` reports it before the engine runs, at the page of the rendered tree (under docs/) "
         "and the line: the tree carries markup that is not inert, which an engine that runs no hook (Zensical) "
         "would publish as it is: a raw HTML tag or attribute the generator never writes, an event handler, a "
         "`javascript:` or other unsafe URL, an attribute list that sets more than an id, or an id in the theme's "
         "namespace (starting with `_`, where Material keeps `__config`, `__drawer`...). The generator escapes and "
         "sanitises account text before it writes the tree, so this means a site template or a change to the "
         "generator let something through. Nothing was built.",
         "docs/accounts/acme/plan.md:12:1: error[E425] raw HTML <script>, which the generator never writes",
         "Find what wrote it: a block in site_templates/ (write account text with `md_text`/`html_text`), or "
         "report it as a bug in the generator; build with the default engine meanwhile."),
    # -- E5xx: what `kam import crm` cannot read (nothing is written) -------------------------
    Code("E501", "Export file missing",
         "`kam import crm` reports it: a file the mapping names is not in the export folder. The message lists "
         "the files that are there.",
         "kam import crm export/   # export/ holds Accounts.csv, not accounts.csv",
         "Point the mapping's `file` at the right name (`--mapping FILE`), or export the file."),
    Code("E502", "Export column missing",
         "`kam import crm` reports it: a column the mapping names is not in the file's header. The message lists "
         "the columns found.",
         "accounts.csv: account,industry,...   # the mapping expects 'sector'",
         "Map the field to the column the export has (`columns:` in the mapping file)."),
    Code("E503", "Date that does not parse",
         "`kam import crm` reports it at the file, row and column: a date is not in the mapping's `date_format` "
         "(YYYY-MM-DD unless the mapping says otherwise).",
         "sales_pipeline.csv row 17, close_date: 31/12/2017", "Fix the value, or set `date_format` (for example "
         "`\"%d/%m/%Y\"`) in the mapping file."),
    Code("E504", "Value that is not a number",
         "`kam import crm` reports it at the file, row and column: an amount or price is not a number as the "
         "mapping's `decimal`, `thousands` and `currency_signs` read it (a plain number unless the mapping says "
         "otherwise). When the value looks like a number written another way, the message says which option reads it.",
         "sales_pipeline.csv row 9, close_value: 1.054,00", "Describe how the export writes amounts in a mapping file "
         "(a German export: `decimal: \",\"`, `thousands: \".\"`, `currency_signs: [\"€\"]`), or export plain numbers."),
    Code("E505", "Export not in the expected encoding",
         "`kam import crm` reports it at the byte's line and column: the file is not text in the mapping's "
         "`encoding` (UTF-8 unless the mapping says otherwise).",
         "accounts.csv saved as Windows-1252 (byte 0xe9)", "Export as UTF-8, or set `encoding: cp1252` in the mapping file."),
    Code("E506", "Export not in the expected CSV shape",
         "`kam import crm` reports it: the file is not separated by the mapping's `delimiter` (a comma unless the "
         "mapping says otherwise), or a row has more fields than the header.",
         "account;sector;office_location   # semicolons", "Export with commas, or set `delimiter: \";\"` in the mapping file."),
    Code("E507", "Export file outside the export folder",
         "`kam import crm` reports it at the mapping file's `file:` line: the file named is not inside the export "
         "folder given on the command line (an absolute path, a path with `..`, or a symbolic link leading out of "
         "it). The import reads only the export's own files, so a mapping cannot make it read (and print) any "
         "other file on the machine.",
         "accounts: {file: /etc/passwd, ...}", "Copy the file into the export folder and name it relative to "
         "that folder (`file: accounts.csv`)."),
    Code("E508", "YAML tag in the mapping file",
         "`kam import crm` reports it at the tag: the mapping file uses a YAML tag (`!!python/object/apply:...`, "
         "`!!str`, `!custom`). A mapping is plain text, lists and mappings; tags are never needed and are not "
         "allowed, so no YAML feature can build objects from it.",
         "delimiter: !!python/object/apply:os.system [\"id\"]", "Remove the tag and write the plain value."),
    Code("E509", "Number format options that contradict each other",
         "`kam import crm` reports it at the mapping file's key: `decimal` and `thousands` name the same character, "
         "or one of them is the `delimiter`, so an amount such as `1.234,50` could be read two ways.",
         "decimal: \",\"\nthousands: \",\"", "Name the export's decimal mark and its thousands separator: "
         "`decimal: \",\"` and `thousands: \".\"` for a German export."),
    # -- E6xx: audiences and sharing ---------------------------------------------------------
    Code("E601", "Built-in audience declared",
         "criteria.yml's `audiences:` declares `internal` or `customer`. Both are built in: `internal` is the team's "
         "site, `customer` one account's joint plan; `audiences:` declares only restricted audiences.",
         "audiences:\n  customer: {sees: confidential}", "Give the restricted audience a name of its own, e.g. `leadership`."),
    Code("E602", "Customer owner who is not a stakeholder",
         "An action's `customer_owner` names nobody in the account's stakeholders.yml. The customer's owner of an "
         "agreed action is one of their people; our owner is `owner`.",
         "actions: [{title: Share usage data, owner: jane-doe, customer_owner: bob-smith, due: 2027-01-15}]",
         "Use the id of a stakeholder of the account, or add the person to stakeholders.yml."),
    Code("E603", "Shared section not in the plan",
         "strategy.md's front matter lists under `shared_sections` a heading that is not a `##` section of the plan, "
         "so nothing of it would reach the customer's joint plan.",
         "shared_sections: [Account Goal]   # the section is ## Account Goals", "Write the heading as the plan has it."),
    Code("E604", "Internal link in shared text",
         "Text shared with the customer (a shared section of strategy.md, the `## Summary` of a shared review) links "
         "to something internal: a wiki-link to another account or its people, a link into the site, or an image. "
         "The customer's page is one file without the site: such a link would lead nowhere and name what is ours.",
         "## Account Goals\n\nAs with [[other-account]], we ...", "Write the name as text, link a full https:// "
         "address, or move the sentence out of the shared section."),
    # -- E6xx: reviews and the QBR brief --------------------------------------------------------
    Code("E611", "Reading of an unknown goal",
         "A review's `measures` records a reading for a goal id that the account's goals.yml does not have, so the "
         "brief could not say how that goal moved since the review.",
         "measures: {procurement-scorecrd: 71}", "Use a goal id from the account's goals.yml."),
    Code("E612", "Reading of a goal without a measure",
         "A review's `measures` records a reading for a goal that has no `measure` in goals.yml: there is no "
         "metric to read it against, so the number means nothing on the brief.",
         "measures: {group-standard: 2} (and group-standard has no measure:)",
         "Give the goal a `measure: {metric: ..., current: ..., target: ...}`, or remove the reading."),
    # -- Wxxx: warnings ----------------------------------------------------------------------
    Code("W301", "Review overdue",
         "The latest review of a key account is older than its tier's `review_every_days`.",
         "(a gold account last reviewed 150 days ago; gold reviews every 120 days)", "Hold the review and add its file under reviews/.",
         dated=True),
    Code("W302", "Key account never reviewed",
         "A key account has no review at all.",
         "(an empty reviews/ folder in a platinum account)", "Hold a review and record it under reviews/."),
    Code("W303", "Goal horizon not covered",
         "A key account has no goal for one of the horizons short, mid or long.",
         "(goals.yml with only short-term goals)", "Add a goal for the missing horizon."),
    Code("W304", "Done goal below target",
         "A goal is marked done while its measure's current value is below its target.",
         "status: done\nmeasure: {metric: Sites live, current: 4, target: 12}", "Update the measure, or set the status back."),
    Code("W305", "No champion mapped",
         "A key account's stakeholder map has no champion: nobody inside the customer sells for us.",
         "(stakeholders.yml without role: champion)", "Identify and record a champion, or plan how to win one."),
    Code("W306", "No decision maker mapped",
         "A key account's stakeholder map has no decision maker.",
         "(stakeholders.yml without role: decision_maker)", "Find out who decides and add them to the map."),
    Code("W307", "Goal past due",
         "A goal's due date has passed and it is neither done nor dropped.",
         "due: 2026-03-31\nstatus: in_progress", "Move the due date, or record the goal's real status.",
         dated=True),
    Code("W308", "Review action past due",
         "An open action from the account's latest review is past its due date (an action without a `status` is open).",
         "actions: [{title: Send plan, owner: jane-doe, due: 2026-01-15, status: open}]",
         "Do it and set `status: done` (or `dropped`), or agree a new date and record it.",
         dated=True),
    Code("W309", "Plan section still holds the template prompt",
         "A section of strategy.md still holds the prompt `kam new account` wrote under its heading, so the "
         "plan is not written yet; plan health counts the section as unwritten.",
         "## Account Goals\n\n> Prompt (replace this line): Our short-, mid- and long-term goals ...",
         "Replace the prompt line with the section's content."),
    Code("W311", "Percentage written as a fraction",
         "A field that holds a percentage (its name ends in `_pct`) has a value between 0 and 1, which reads as less "
         "than one percent. Written as a fraction, 97% is 0.97; the field wants 97. (A value of exactly 1 is taken "
         "as 1%.)",
         "kpis: {retention_pct: 0.97}", "Write the percentage in points (`retention_pct: 97`); if the value really "
         "is below one percent, switch the warning off for the repository in criteria.yml's `severity`."),
    Code("W313", "Product listed twice",
         "A product appears more than once in an account's `crm.products` (account.yml). Its won value and deals are "
         "counted once per entry, so the account page, the Footprint page and its peers' white space would add them "
         "up; the import writes each product once, so a second entry comes from a hand edit or a merge.",
         "crm:\n  products:\n    - {name: GTX Pro, won: 120000, deals: 3}\n    - {name: GTX Pro, won: 120000, deals: 3}",
         "Keep one entry per product, or run `kam import crm --update` to write the list again from the export."),
    Code("W312", "Renewal without executive review",
         "A key account's contract (`contract.renewal` in account.yml) renews within its tier's review cadence, or "
         "has passed its renewal date, and no executive review (`type: executive`) has been held since the current "
         "term began (`renewal` less `term_months`). A renewal is decided by executives: meet theirs before it. The "
         "same item is on the attention page, the KAM's page, the calendars and in `kam digest`.",
         "contract: {renewal: 2027-01-31, term_months: 24}   # a platinum account, last executive review 2024-11-02",
         "Hold an executive review and record it under reviews/ with `type: executive`; once the contract has "
         "renewed, write the next renewal date.",
         dated=True),
    Code("W401", "Criteria count outside 3-5",
         "The method recommends three to five selection criteria; more dilutes the score, fewer oversimplifies it.",
         "(criteria.yml with 8 criteria)", "Merge or drop criteria until three to five remain."),
    Code("W402", "Too many key accounts",
         "The share of accounts in a key tier is above `limits.max_key_share`: when everyone is key, no one is.",
         "(9 of 10 accounts in a tier, max_key_share 0.25)", "Raise the tier thresholds or rescore conservatively."),
    Code("W601", "Confidential account no audience sees",
         "An account is marked `confidential: true`, and criteria.yml declares no audience with `sees: confidential`: "
         "the internal site leaves the account out, and no other site shows it.",
         "confidential: true   # criteria.yml has no audiences:", "Declare an audience that sees confidential "
         "accounts (`audiences: {leadership: {sees: confidential}}`) and build it with `kam build --audience leadership`."),
    Code("W602", "Confidential account named by another account",
         "An account that every site shows names a confidential account: as its `parent`, or in a wiki-link. The "
         "sites that leave the confidential account out show neither its name nor a link there.",
         "parent: secret-project   # secret-project is confidential", "Leave the confidential account unnamed in the "
         "other account's files, or make it not confidential."),
    Code("W603", "Shared review without a summary",
         "A review is marked `shared: true` and has no `## Summary` section. The summary is the part of a review the "
         "customer sees; the rest (notes, the discussion) stays internal, so this review adds nothing to their plan.",
         "shared: true   # and no ## Summary in the review", "Add a `## Summary` section written for the customer."),
    Code("W501", "Opportunities without an account",
         "`kam import crm` reports it: opportunities whose account field is empty. They count for no account.",
         "(1,425 pipeline rows of the sample without an account)", "Fill in the account in the CRM, or accept that "
         "they are left out."),
    Code("W502", "Opportunities naming an unknown account",
         "`kam import crm` reports it: opportunities whose account is not in the accounts file. They count for no account.",
         "account: Acme Corp   # accounts.csv has Acme Corporation", "Correct the name in the CRM, or add the account."),
    Code("W503", "Export value normalised",
         "`kam import crm` reports it: a sector, location or product spelt differently from the rest was read through "
         "the mapping's `synonyms`.",
         "sector: technolgy   # read as Technology", "Nothing to do; correct the spelling in the CRM when you can."),
    Code("W504", "Unknown product",
         "`kam import crm` reports it: an opportunity names a product that is not in the products file. It is read "
         "as the product whose name differs only in spaces and case, if there is one; otherwise an open "
         "opportunity without a value has no list price and counts as 0.",
         "product: GTXPro   # products.csv has GTX Pro", "Correct the product in the CRM, or add it to `synonyms.product`."),
    Code("W505", "Parent that names no account",
         "`kam import crm` reports it: an account's parent company is not an account of the export or of the "
         "repository, so the account is imported without a parent.",
         "subsidiary_of: Acme Holdings   # not an account", "Add the parent account, or correct its name in the CRM."),
    Code("W506", "Agent missing from the sales teams",
         "`kam import crm` reports it: an opportunity's agent is not in the sales teams file, so an account they own "
         "gets no executive sponsor and the region Unknown.",
         "sales_agent: Jo Smith   # not in sales_teams.csv", "Add the agent, with manager and region, to the sales teams export."),
    Code("W507", "Account not imported",
         "`kam import crm` reports it: an account of the export gets no folder, because it has no won opportunity "
         "up to the as-of date (it is not a customer yet), its name gives no id, or another account's name gives "
         "the same id.",
         "Zumgoity: no won opportunity up to 2017-06-30", "Nothing to do for a prospect; rename a clashing account in the CRM."),
    Code("W508", "People added with a placeholder email",
         "`kam import crm` reports it: agents and managers were added to team.yml with an email made from their name "
         "and the mapping's `email_domain`, because the export has none.",
         "email: anna.snelling@example.com", "Correct the emails in team.yml (the import never rewrites an entry)."),
    Code("W509", "Existing account left as it was",
         "`kam import crm --update` reports it: an account folder exists but its account.yml has errors, so its "
         "figures were not refreshed.",
         "accounts/acme-corporation/account.yml with a YAML syntax error", "Fix the file (`kam validate`), then import again."),
    Code("W510", "Parent cycle broken",
         "`kam import crm` reports it: the export's parent companies form a loop, which the repository cannot hold "
         "(E209), so the account closing the loop is imported without a parent.",
         "A subsidiary_of B, B subsidiary_of A", "Correct the parent companies in the CRM."),
    Code("W511", "Imported id shortened",
         "`kam import crm` reports it at the account's row: the id made from the account's (or a person's) name "
         "is longer than 64 characters (E114), so the import cut it at a word and added a short hash of the whole "
         "name. The same name always gets the same id, and two long names sharing their beginning get two.",
         "account: The International Consolidated Holdings of Northern European Logistics and Freight Forwarding",
         "Nothing to do; rename the folder (and its references) to a shorter id you prefer, if you like."),
    Code("W512", "Imported id changed from a reserved name",
         "`kam import crm` reports it at the account's row: the id made from a name is one Windows reserves for "
         "a device (E113), such as `con` from an account named CON, so the import added a short hash of the name "
         "to it.",
         "account: CON", "Nothing to do; rename the folder (and its references) to an id you prefer, if you like."),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}
# Warnings whose severity criteria.yml may raise to error (or switch off); `kam import crm`
# applies the same table to its own warnings (W5xx).
CONFIGURABLE = frozenset(c for c in CODES if c.startswith("W"))
# Reported by `kam import crm`, never by `kam validate`: tested by the import's tests, not the corpus.
IMPORT_CODES = frozenset(c for c in CODES if c[1] == "5")
# Reported by the build, for what only rendering can find: tested by the build's tests, not the corpus.
BUILD_CODES = frozenset({"E218", "E425"})
DATED = frozenset(c for c, code in CODES.items() if code.dated)


def emits(*codes: str) -> frozenset[str]:
    """The codes a module or a rule declares it reports (yamllint's rules declare their ID the same way).
    Checked against the registry when the module is imported, so a declaration cannot name a code
    that does not exist; tests/test_codes.py checks that every code has someone declaring it."""
    unknown = sorted(set(codes) - set(CODES))
    if unknown:
        raise ValueError(f"declared codes that are not in the registry: {', '.join(unknown)}")
    return frozenset(codes)
