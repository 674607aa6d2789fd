"""`kam import crm`: reading the export, proposed scores, round-trip writes of account files.
May import the stages below and scaffold."""
