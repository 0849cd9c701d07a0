install:
	bash scripts/install

test:
	swift test

.PHONY: install test
