# Sanxin: `make run` sets up and serves the demo on SQLite; `make test` sets up and runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export SANXIN_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test setup setup-dev lint migrate demo serve clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更高版本"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed: requirements.txt $(VENV)/.python-ok
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/.copied: node_modules/.installed scripts/vendor_static.py
	$(PY) scripts/vendor_static.py
	@touch $@

setup: $(VENV)/.installed static/vendor/.copied

setup-dev: $(VENV)/.installed-dev static/vendor/.copied

# The demo, run as production runs (debug off, gunicorn, manifest static files): SQLite under data/, the
# regions of Jiangxi (36), demo accounts printed, web server, task worker and daily jobs. Its settings are
# written once to data/sanxin.env, which every `python manage.py ...` in this checkout reads.
run: setup
	@mkdir -p $(SANXIN_DATA_DIR)
	$(PY) scripts/demo_settings.py
	$(PY) manage.py create_key_file
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_regions --province $${SANXIN_DEMO_PROVINCE:-36}
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --no-input -v 0
	@echo "三新党建平台：http://$(HOST):$(PORT)/ （Ctrl+C 停止）"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --queue-name default > $(SANXIN_DATA_DIR)/worker.log 2>&1 & \
	  $(PY) manage.py run_daily_jobs --every 3600 > $(SANXIN_DATA_DIR)/daily-jobs.log 2>&1 & \
	  $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - --error-logfile -

lint: setup-dev
	$(BIN)/ruff check .

test: setup-dev
	bash scripts/ensure_chromium.sh
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
