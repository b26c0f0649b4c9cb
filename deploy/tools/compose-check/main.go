// compose-check loads a Compose file the way `docker compose config` does — compose-go, the
// library inside Docker Compose: variable interpolation (failing on unset `${VAR:?}`), the
// compose-spec schema, merges and anchors, semantic checks — without a Docker engine, and prints
// the resolved project as JSON for further checks by scripts/check-deploy.ts.
//
//	compose-check -f docker-compose.yml -env-file .env.example > project.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	file := flag.String("f", "docker-compose.yml", "the Compose file")
	envFile := flag.String("env-file", "", "the only source of variables (the caller's environment is ignored, so results do not depend on the shell)")
	flag.Parse()

	fns := []cli.ProjectOptionsFn{
		cli.WithProfiles([]string{"*"}),
		cli.WithResolvedPaths(true),
	}
	if *envFile != "" {
		fns = append(fns, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions([]string{*file}, fns...)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(append(out, '\n'))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
	os.Exit(1)
}
