"""Rasa action server package: thin glue between Rasa and the pure mkbscan modules."""
