// One-click apps (docs/apps.md, "One-click apps"): compose templates with the variables they
// read. A variable marked `generated` gets a random value when the user gives none (a password:
// 24 random bytes, base64url), sealed like every secret variable; `default` fills a plain one.
// The images are the upstream ones; each template names its image through a variable, so a
// node with its own registry or a locally built image can run it.
import { randomBytes } from "node:crypto";
import type { CatalogEntry } from "@steward/contracts/apps";
import { checkCompose } from "@steward/contracts/apps";

interface Template {
  id: string;
  name: string;
  description: string;
  env: CatalogEntry["env"];
  file: string;
}

const TEMPLATES: Template[] = [
  {
    id: "static-site",
    name: "Static file server",
    description:
      "busybox httpd serving the files of the app's site directory (a welcome page until you put yours there).",
    env: [
      {
        key: "IMAGE",
        description: "the image (busybox's httpd)",
        secret: false,
        generated: false,
        default: "docker.io/library/busybox:1.36",
      },
    ],
    file: `services:
  web:
    image: \${IMAGE}
    command: ["sh", "-c", "test -e /www/index.html || echo '<h1>It works</h1>' > /www/index.html; exec httpd -f -v -p 8080 -h /www"]
    ports: ["8080"]
    volumes: ["./site:/www"]
    restart: unless-stopped
    stop_signal: SIGKILL
`,
  },
  {
    id: "wordpress",
    name: "WordPress with MariaDB",
    description: "WordPress (Apache) and its MariaDB, passwords generated; data in named volumes.",
    env: [
      {
        key: "WORDPRESS_IMAGE",
        description: "WordPress's image",
        secret: false,
        generated: false,
        default: "docker.io/library/wordpress:6-apache",
      },
      {
        key: "MARIADB_IMAGE",
        description: "MariaDB's image",
        secret: false,
        generated: false,
        default: "docker.io/library/mariadb:11",
      },
      {
        key: "DB_PASSWORD",
        description: "WordPress's database password",
        secret: true,
        generated: true,
        default: null,
      },
      {
        key: "DB_ROOT_PASSWORD",
        description: "MariaDB's root password",
        secret: true,
        generated: true,
        default: null,
      },
    ],
    file: `services:
  wordpress:
    image: \${WORDPRESS_IMAGE}
    depends_on: [db]
    ports: ["80"]
    environment:
      WORDPRESS_DB_HOST: db
      WORDPRESS_DB_USER: wordpress
      WORDPRESS_DB_PASSWORD: \${DB_PASSWORD}
      WORDPRESS_DB_NAME: wordpress
    volumes: ["wordpress:/var/www/html"]
    restart: unless-stopped
  db:
    image: \${MARIADB_IMAGE}
    environment:
      MARIADB_DATABASE: wordpress
      MARIADB_USER: wordpress
      MARIADB_PASSWORD: \${DB_PASSWORD}
      MARIADB_ROOT_PASSWORD: \${DB_ROOT_PASSWORD}
    volumes: ["db:/var/lib/mysql"]
    restart: unless-stopped
volumes:
  wordpress: {}
  db: {}
`,
  },
  {
    id: "uptime-kuma",
    name: "Uptime Kuma",
    description: "A self-hosted uptime monitor with its own status pages; data in a named volume.",
    env: [
      {
        key: "IMAGE",
        description: "Uptime Kuma's image",
        secret: false,
        generated: false,
        default: "docker.io/louislam/uptime-kuma:1",
      },
    ],
    file: `services:
  uptime-kuma:
    image: \${IMAGE}
    ports: ["3001"]
    volumes: ["data:/app/data"]
    restart: unless-stopped
volumes:
  data: {}
`,
  },
];

/** The catalog as the API answers it (services read from each template). */
export function catalog(): CatalogEntry[] {
  return TEMPLATES.map((t) => {
    const env = Object.fromEntries(t.env.map((e) => [e.key, e.default ?? "x"]));
    const checked = checkCompose(t.file, { env });
    return {
      id: t.id,
      name: t.name,
      description: t.description,
      services: checked.ok ? checked.stack.services : [],
      env: t.env,
      file: t.file,
    };
  });
}

export const catalogEntry = (id: string) => TEMPLATES.find((t) => t.id === id);

/** The entry's variables with the user's over them: defaults filled, secrets generated. */
export function catalogEnv(
  t: Template,
  given: { key: string; value: string; secret: boolean }[],
): { key: string; value: string; secret: boolean }[] {
  const out = [...given];
  for (const e of t.env) {
    if (given.some((g) => g.key === e.key)) continue;
    if (e.generated)
      out.push({ key: e.key, value: randomBytes(24).toString("base64url"), secret: e.secret });
    else if (e.default) out.push({ key: e.key, value: e.default, secret: e.secret });
  }
  return out;
}
