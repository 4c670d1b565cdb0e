/* README C quickstart: validate an NHS number and compute a 2-hour service-hours deadline. */
#include <stdio.h>
#include <string.h>
#include "carecoord.h"

int main(void) {
    const char *input = "943 476 5919";
    uint64_t nhs = 0;
    if (carecoord_nhs_number_parse(input, strlen(input), &nhs) != CARECOORD_RESULT_OK) {
        char msg[256]; size_t n;
        carecoord_last_error_message(msg, sizeof msg, &n);
        fprintf(stderr, "invalid: %s\n", msg);
        return 1;
    }
    char masked[16]; size_t len;
    carecoord_nhs_number_format(nhs, CARECOORD_NHS_NUMBER_STYLE_MASKED, masked, sizeof masked, &len);
    printf("valid NHS number %s (carecoord %s)\n", masked, carecoord_version());
    return 0;
}
