// Hostile app files and the refusal each gets (state/files.test.ts), as in
// state-hostile-files.ts.

const APP = "app/web-1--whoami.yaml";
const GIT = "app/web-1--api.yaml";
const STACK = "app/web-1--stack.yaml";
/** Quick service whoami of account shop on web-1 with these entries instead of the usual. */
const image = (fields: Record<string, string>) =>
  Object.entries({
    ...{ source: "image", name: "whoami", account: "shop", node: "web-1" },
    ...{ image: "traefik/whoami:v1.10", ports: "[{ container: 80, host: 8081 }]" },
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
const git = (fields: Record<string, string>) =>
  image({
    ...{ source: "git", name: "api", image: "", ports: "[]" },
    git: "{ url: https://git.example/acme/api.git, ref: main, dockerfile: Dockerfile }",
    ...fields,
  }).replace("image: \n", "");
const stack = (compose: string, more = "") =>
  `source: compose\nname: stack\naccount: shop\nnode: web-1\ncompose: ${JSON.stringify(compose)}\n${more}`;
const WEB = "services:\n  web:\n    image: nginx:1.27\n";

export const hostileAppFiles: [file: string, text: string, refusal: string][] = [
  [APP, image({ image: '"nginx; rm -rf /"' }), `${APP}: image: must be an image like`],
  [APP, image({ image: '"--privileged"' }), `${APP}: image: must be an image like`],
  [APP, image({ image: '"nginx:1.27\\nFROM evil"' }), `${APP}: image:`],
  [APP, image({ env: '{ "A=B": x }' }), `${APP}: env.A=B: name must be letters, digits and _`],
  [APP, image({ env: '{ "LD PRELOAD": x }' }), `${APP}: env.LD PRELOAD:`],
  [APP, image({ env: '{ A: "x\\u0000y" }' }), `${APP}: env.A: must not contain NUL`],
  [
    APP,
    image({ env: "{ API_TOKEN: { secret: app/web-1--other/env/API_TOKEN } }" }),
    `${APP}: env.API_TOKEN.secret: must be { secret: app/web-1--whoami/env/API_TOKEN }`,
  ],
  [
    APP,
    image({ ports: "[{ container: 80, host: 22 }]" }),
    `${APP}: ports.0.host: must be between 1024`,
  ],
  [APP, image({ ports: "[{ container: 70000 }]" }), `${APP}: ports.0.container:`],
  [
    APP,
    image({ volumes: '[{ source: "../../etc", target: /etc }]' }),
    `${APP}: volumes.0.source: must be a directory name`,
  ],
  [
    APP,
    image({ volumes: '[{ source: data, target: "/data/../../etc" }]' }),
    `${APP}: volumes.0.target: must not contain . or .. segments`,
  ],
  [
    APP,
    image({ command: '["sh\\n-c"]' }),
    `${APP}: command.0: must not contain control characters`,
  ],
  [APP, image({ healthCheck: '{ command: ["curl\\u0000"] }' }), `${APP}: healthCheck.command.0:`],
  [APP, image({ restart: "sometimes" }), `${APP}: restart:`],
  [APP, image({ domain: '"whoami.shop.example; id"' }), `${APP}: domain:`],
  [APP, image({ name: '"who`id`ami"' }), `${APP}: name: must be lowercase letters`],
  [
    `app/web-1--${"a".repeat(60)}.yaml`,
    image({ name: "a".repeat(60) }),
    "name: must be at most 48 characters",
  ],
  [APP, image({ privileged: "true" }), `${APP}: privileged: is not a known field`],
  [APP, image({ source: "tarball" }), `${APP}: source: must be image, git or compose`],
  [APP, image({ node: "web-2" }), `${APP}: file: must be named web-2--whoami.yaml`],
  [
    APP,
    image({ git: "{ url: https://git.example/a.git, ref: main, dockerfile: Dockerfile }" }),
    `${APP}: git: is not a known field`,
  ],
  [
    GIT,
    git({ git: '{ url: "file:///etc/passwd", ref: main, dockerfile: Dockerfile }' }),
    `${GIT}: git.url:`,
  ],
  [
    GIT,
    git({ git: '{ url: "ext::sh -c id", ref: main, dockerfile: Dockerfile }' }),
    `${GIT}: git.url:`,
  ],
  [
    GIT,
    git({
      git: '{ url: https://git.example/a.git, ref: "--upload-pack=id", dockerfile: Dockerfile }',
    }),
    `${GIT}: git.ref:`,
  ],
  [
    GIT,
    git({ git: '{ url: https://git.example/a.git, ref: main, dockerfile: "../../etc/passwd" }' }),
    `${GIT}: git.dockerfile:`,
  ],
  [
    GIT,
    git({
      git: "{ url: https://git.example/a.git, ref: main, dockerfile: Dockerfile, token: ghp_inline }",
    }),
    `${GIT}: git.token:`,
  ],
  [
    GIT,
    git({
      git: "{ url: https://git.example/a.git, ref: main, dockerfile: Dockerfile, token: { secret: app/web-1--x/git-token } }",
    }),
    `${GIT}: git.token.secret: must be { secret: app/web-1--api/git-token }`,
  ],
  [STACK, stack(`name: evil\n${WEB}`), `${STACK}: compose: name: is refused`],
  [
    STACK,
    stack(`${WEB}    privileged: yes\n    pid: host\n    bogus: 1\n`),
    `${STACK}: compose: services.web.bogus:`,
  ],
  [STACK, stack("services: {}\n"), `${STACK}: compose: services: must name at least one service`],
  [STACK, stack(`${WEB}    environment: [A=\${UNSET}]\n`), `${STACK}: compose:`],
  [STACK, stack(""), `${STACK}: compose: must not be empty`],
  [STACK, stack(WEB, "image: nginx\n"), `${STACK}: image: is not a known field`],
];
