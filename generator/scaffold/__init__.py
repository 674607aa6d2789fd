"""`kam init` and `kam new`: a new repository and a new account folder.
May import the stages below and site (for the starter's references)."""
