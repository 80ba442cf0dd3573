# snn_lab: the two commands the README gives, and a few for developers.
.PHONY: install test docs export clean-nbs speed

install:  ## install snn_lab and everything its tests, docs and apps need
	bash tools/install.sh

test:  ## everything CI checks: notebooks in sync and clean, nbdev_test (all flags), pytest, docs
	bash tools/test.sh

docs:  ## offline docs preview in _docs_preview/ (Quarto builds the published site)
	python3 tools/build_docs.py

export:  ## notebooks -> snn_lab/, and clean notebooks
	nbdev_export && nbdev_clean

speed:  ## the LIF speed benchmark
	python3 -m snn_lab.speed neurons
