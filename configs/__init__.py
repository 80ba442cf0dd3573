"""snn_lab's YAML configs, importable as the package data `snn_lab.configs` (see setup.py)."""
