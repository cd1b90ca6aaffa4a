"""leadcli: judge a prospective customer's leadership commitment to quality."""

__version__ = "0.2.0"
