# Two commands matter on a fresh clone: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONSTRAINTS := packaging/constraints.txt

.PHONY: setup run test lint bench clean translations package package-test

# The stamp makes a second `make setup` a no-op unless pyproject or the constraints changed.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	touch $(STAMP)

# The bundled model's ONNX export, made once into the user's model cache and checked against
# sentence-transformers' vectors (engine/embed/onnx_cache.py): every install embeds with ONNX
# Runtime; torch is only the export tool. The app makes it on first use if this did not run.
MODEL_STAMP := $(VENV)/.model-onnx
$(MODEL_STAMP): $(STAMP)
	$(BIN)/python -m engine.embed.onnx_cache
	$(BIN)/python -m engine.embed.speech_model
	touch $(MODEL_STAMP)

setup: $(STAMP) $(MODEL_STAMP)

run: $(STAMP) $(MODEL_STAMP)
	$(BIN)/reelcast-desktop $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy engine desktop
	$(BIN)/lint-imports

test: lint $(MODEL_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m tests.bench $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info

# Re-extract the UI strings from desktop/ into the Chinese .ts (keeping its translations), then
# compile the .qm the app loads. Run it after adding or changing a tr() string, translate the new
# entries, and run it again; tests/desktop/test_translations.py fails until the .ts is current.
# The English .ts holds only the strings with plural forms ("%n problems"): Qt takes a string's
# plural forms from a translation, the source language included (-pluralonly).
TS_ZH := resources/translations/reelcast_zh_CN.ts
TS_EN := resources/translations/reelcast_en.ts
translations: $(STAMP)
	$(BIN)/pyside6-lupdate $$(find desktop -name '*.py' | LC_ALL=C sort) -source-language en \
		-target-language zh_CN -no-obsolete -locations none -ts $(TS_ZH)
	$(BIN)/pyside6-lupdate $$(find desktop -name '*.py' | LC_ALL=C sort) -source-language en \
		-target-language en -pluralonly -no-obsolete -locations none -ts $(TS_EN)
	$(BIN)/pyside6-lrelease $(TS_ZH) -qm $(TS_ZH:.ts=.qm)
	$(BIN)/pyside6-lrelease $(TS_EN) -qm $(TS_EN:.ts=.qm)

# Installers (issue 6). PyInstaller is a build tool only: installed into .venv here, not by setup.
# `make package` builds the one-folder bundle dist/reelcast/ and dist/reelcast_<version>_amd64.deb;
# it is a no-op while the .deb is newer than every source. `make package-test` unpacks the .deb
# into a temporary root and runs the frozen CLI self-test and the frozen GUI (offscreen).
BUILD_STAMP := $(VENV)/.installed-build
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DEB = dist/reelcast_$(VERSION)_amd64.deb
PACKAGE_SOURCES = pyproject.toml $(shell find engine desktop resources packaging -type f \
	-not -path '*/__pycache__/*' -not -name package_test.py)

$(BUILD_STAMP): $(STAMP) packaging/requirements-build.txt
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -r packaging/requirements-build.txt
	touch $(BUILD_STAMP)

$(DEB): $(BUILD_STAMP) $(PACKAGE_SOURCES)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/reelcast.spec
	$(BIN)/python packaging/build_deb.py --bundle dist/reelcast --out dist

package: $(DEB)

package-test: $(DEB)
	$(BIN)/python packaging/package_test.py --deb $(DEB)
