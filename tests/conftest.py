import os

from hypothesis import settings

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# In CI, property and fuzz tests run a fixed, reproducible set of examples, so that a red build
# always means a change broke something; locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
