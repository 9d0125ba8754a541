"""Litigation fees under the State Council's 《诉讼费用交纳办法》 (2007)."""
