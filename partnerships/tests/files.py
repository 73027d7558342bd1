"""Real files of each kind, built in memory, for the attachment tests (case documents, background papers)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from reportlab.pdfgen import canvas


def pdf(text="Night crossings near Fighting Island"):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def image(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def office(kind):
    """A minimal DOCX or XLSX as Word and Excel write them: [Content_Types].xml first, then the parts."""
    main = {"docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                                          ".main+xml"),
            "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")}
    part, part_type = main[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                         f'<Override PartName="/{part}" ContentType="{part_type}"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/relationships"/>')
        archive.writestr(part, '<?xml version="1.0" encoding="UTF-8"?><root/>')
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'\xef\xbb\xbf  \n<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
       b"<script>alert(1)</script></svg>")
TEXT = "\ufeffMeeting notes — réunion du 3 mars\nVessel sighted at 02:10\n".encode()
CSV = b"date,vessel,place\n2026-03-03,Blue Heron,Fighting Island\n"


ACCEPTED = {  # name -> (bytes, the type the portal detects and serves)
    "report.pdf": (pdf, "application/pdf"),
    "photo.png": (lambda: image("PNG"), "image/png"),
    "photo.jpg": (lambda: image("JPEG"), "image/jpeg"),
    "photo.jpeg": (lambda: image("JPEG"), "image/jpeg"),
    "memo.docx": (lambda: office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "seizures.xlsx": (lambda: office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "notes.txt": (lambda: TEXT, "text/plain"),
    "vessels.csv": (lambda: CSV, "text/csv"),
}

REFUSED = {  # case id -> (name, bytes, audit reason, words the message must hold)
    "html named .txt": ("notes.txt", lambda: HTML, "markup", "HTML, SVG or XML"),
    "html named .pdf": ("report.pdf", lambda: HTML, "markup", "HTML, SVG or XML"),
    "svg with a script": ("map.svg", lambda: SVG, "markup", "HTML, SVG or XML"),
    "svg with a script named .txt": ("map.txt", lambda: SVG, "markup", "HTML, SVG or XML"),
    "ELF renamed .pdf": ("report.pdf", lambda: ELF, "executable", "program (application/x-executable)"),
    "Windows program renamed .pdf": ("report.pdf", lambda: WINDOWS_EXE, "executable",
                                     "program (application/x-msdownload)"),
    "empty": ("empty.pdf", lambda: b"", "empty", "The file is empty."),
    "pdf named .png": ("photo.png", pdf, "extension_mismatch", "The content is PDF, but the name ends in .png"),
    "png named .pdf": ("report.pdf", lambda: image("PNG"), "extension_mismatch", "The content is PNG"),
    "text named .pdf": ("report.pdf", lambda: TEXT, "extension_mismatch", "The content is plain text"),
    "pdf without extension": ("report", pdf, "extension_mismatch", "the name has no extension"),
    "zip": ("archive.zip", plain_zip, "type_not_allowed", "application/zip"),
    "docx renamed .zip": ("memo.zip", lambda: office("docx"), "extension_mismatch", "Word (DOCX)"),
    "latin-1 text": ("notes.txt", lambda: "Réunion".encode("latin-1"), "not_utf8", "UTF-8"),
    "text with a NUL byte": ("notes.txt", lambda: b"abc\x00def", "binary", "not one of the accepted types"),
}


def upload(name, content):
    return SimpleUploadedFile(name, content() if callable(content) else content)


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file())
