"""Evidence reports for analysts and customs brokers: stored results rendered as printable HTML (or PDF)."""

from service.reports.render import PdfUnavailable, html_to_pdf, render_batch, render_screening

__all__ = ["PdfUnavailable", "html_to_pdf", "render_batch", "render_screening"]
