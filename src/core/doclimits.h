/* doclimits.h - every bound on what a document may make pmtool do.
 *
 * Everything a user controls has a limit, checked before the expensive step.
 * The defaults are documented in docs/pmtool.1.scd; the config file and the
 * command line may change them.
 */
#ifndef PM_DOCLIMITS_H
#define PM_DOCLIMITS_H

#include <stddef.h>

struct pm_limits {
	size_t max_file_size;		/* bytes of one file */
	size_t max_frontmatter;		/* bytes between the --- lines */
	size_t max_yaml_depth;		/* nested sequences and mappings */
	size_t max_yaml_aliases;	/* alias uses in one frontmatter */
	size_t max_yaml_nodes;		/* nodes, counting what aliases share */
	size_t max_table_columns;
	size_t max_table_rows;
	size_t max_sections;		/* headings in one document */
	size_t max_markup;		/* Markdown markup in the body: an upper
					 * bound on the nodes cmark-gfm builds */
	size_t max_section_depth;	/* sections inside sections, counting itself */
	size_t max_output_line;		/* code points of a source line or message
					 * printed for one finding */
};

#define PM_LIMITS_DEFAULT { \
	.max_file_size = 4u << 20, \
	.max_frontmatter = 64u << 10, \
	.max_yaml_depth = 32, \
	.max_yaml_aliases = 64, \
	.max_yaml_nodes = 10000, \
	.max_table_columns = 64, \
	.max_table_rows = 10000, \
	.max_sections = 2000, \
	.max_markup = 200000, \
	.max_section_depth = 6, \
	.max_output_line = 400, \
}

#endif
