# syntax=docker/dockerfile:1
# flrisk API image: `docker run -p 8000:8000 flrisk` serves on SQLite with the shipped lists;
# set FLRISK_DATABASE_URL=postgresql://... for PostgreSQL. Worker: override the command with `flrisk worker`.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY service ./service
COPY fixtures ./fixtures
RUN pip install --no-cache-dir .

FROM python:3.11-slim
# pango for PDF reports (WeasyPrint), Noto CJK so Chinese names render in reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10000 flrisk
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FLRISK_DATABASE_URL=sqlite:////home/flrisk/data/flrisk.db
USER flrisk
WORKDIR /home/flrisk
RUN mkdir -p /home/flrisk/data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"
ENTRYPOINT ["flrisk"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
