"""Procedural guidance by topic and aspect, and legal questions by kind of dispute, from data files.

Until the knowledge base (knowledge/) answers by retrieval, these files hold every such reply text."""
