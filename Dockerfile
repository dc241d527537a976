# The source-gong-activity connector image: Airbyte's Python connector base image plus this package.
# hadolint global ignore=DL3066
# (DL3066 wants numeric users; `airbyte` is the name the base image gives its non-root user.)
FROM docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73

LABEL io.airbyte.name=airbyte/source-gong-activity
LABEL io.airbyte.version=0.1.0

WORKDIR /airbyte/integration_code
# Installing into the system site-packages needs root; the connector itself runs as `airbyte` (last line).
USER root
COPY . ./
# constraints.txt (in the context) is the lock CI tests: the image runs the versions the tests ran.
RUN pip install --no-cache-dir -c constraints.txt .

# The platform starts the connector from AIRBYTE_ENTRYPOINT; it must name the same command as ENTRYPOINT.
ENV AIRBYTE_ENTRYPOINT="source-gong-activity"
ENTRYPOINT ["source-gong-activity"]
USER airbyte
