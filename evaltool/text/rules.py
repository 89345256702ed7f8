RULE_NAMES: dict[str, tuple[str, str]] = {}
RULE_DOCS: dict[str, tuple[str, str]] = {}
