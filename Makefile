# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/huanjie

.PHONY: demo test setup fonts system-packages postgres lint test-sqlite test-postgresql

$(BIN)/huanjie: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/huanjie
	$(BIN)/python -c "from huanjie.cli.web import compile_translations; compile_translations()"

# WenQuanYi Zen Hei: a TrueType CJK font, which reportlab can embed in the printed
# documents (it cannot embed the CFF outlines of Noto CJK).
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || \
	  (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null)

# Debian's Chromium, and a CJK font for its pages, for the browser tests.
system-packages: fonts
	@command -v chromium >/dev/null && fc-list | grep -q "Noto Sans CJK" || \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

# PostgreSQL on 127.0.0.1:5432 with trust authentication for the test databases;
# installed and configured only on a machine that has none.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || ( \
	  if ! command -v pg_ctlcluster >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	    hba=$$(ls /etc/postgresql/*/main/pg_hba.conf | tail -1); \
	    sed -i '1i host all postgres 127.0.0.1/32 trust' $$hba; \
	  fi; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -1) main start; \
	  for i in $$(seq 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done)

demo: setup fonts
	$(BIN)/huanjie demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: setup system-packages
	$(BIN)/pytest

test-postgresql: setup system-packages postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint test-sqlite test-postgresql
