FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DCUSA_INSECURE_DEFAULTS=1 python manage.py collectstatic --noinput -v0
RUN useradd --system dcusa && mkdir -p /app/media && chown dcusa /app/media
USER dcusa
EXPOSE 8000
CMD ["gunicorn", "dcusa.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
