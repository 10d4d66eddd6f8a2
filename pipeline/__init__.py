"""unres: United Nations resolutions from any source to DOCX, PDF, HTML and Akoma Ntoso."""

__version__ = "0.2.0"
