/* cli_data.S -- files embedded in the wiot CLI: the default table (WIOD 2013, 2011),
 * its classification names and the built-in scenarios (in WIOD 2013 and WIOD 2016
 * codes). Generated list; keep in step with data/ (the Makefile rebuilds this object
 * when those files change). */
    .section .rodata
    /* the default table as a .wiot image (built from data/wiod2013/wiot_2011.csv.gz by
     * kernel/tools/wiot_embed.c; found through -I$(BUILD)/embed), page aligned so
     * its matrices sit on the 4096-byte boundaries the format puts them on */
    .balign 4096
    .globl wiot_emb_table_wiod2013_2011, wiot_emb_table_wiod2013_2011_end
wiot_emb_table_wiod2013_2011:
    .incbin "wiot_2011.wiot"
wiot_emb_table_wiod2013_2011_end:
    .byte 0
    .balign 16
    .globl wiot_emb_sectors_wiod2013, wiot_emb_sectors_wiod2013_end
wiot_emb_sectors_wiod2013:
    .incbin "data/wiod2013/sectors.csv"
wiot_emb_sectors_wiod2013_end:
    .byte 0
    .balign 16
    .globl wiot_emb_countries_wiod2013, wiot_emb_countries_wiod2013_end
wiot_emb_countries_wiod2013:
    .incbin "data/wiod2013/countries.csv"
wiot_emb_countries_wiod2013_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_china_countermeasures_2025, wiot_emb_scn_china_countermeasures_2025_end
wiot_emb_scn_china_countermeasures_2025:
    .incbin "data/scenarios/wiod2013/china_countermeasures_2025.csv"
wiot_emb_scn_china_countermeasures_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_china_retaliation_2018_2020, wiot_emb_scn_china_retaliation_2018_2020_end
wiot_emb_scn_china_retaliation_2018_2020:
    .incbin "data/scenarios/wiod2013/china_retaliation_2018_2020.csv"
wiot_emb_scn_china_retaliation_2018_2020_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_piie_average_uniform, wiot_emb_scn_piie_average_uniform_end
wiot_emb_scn_piie_average_uniform:
    .incbin "data/scenarios/wiod2013/piie_average_uniform.csv"
wiot_emb_scn_piie_average_uniform_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_us232_autos_2025, wiot_emb_scn_us232_autos_2025_end
wiot_emb_scn_us232_autos_2025:
    .incbin "data/scenarios/wiod2013/us232_autos_2025.csv"
wiot_emb_scn_us232_autos_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_us232_steel_aluminum, wiot_emb_scn_us232_steel_aluminum_end
wiot_emb_scn_us232_steel_aluminum:
    .incbin "data/scenarios/wiod2013/us232_steel_aluminum.csv"
wiot_emb_scn_us232_steel_aluminum_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_us301_china_2018_2020, wiot_emb_scn_us301_china_2018_2020_end
wiot_emb_scn_us301_china_2018_2020:
    .incbin "data/scenarios/wiod2013/us301_china_2018_2020.csv"
wiot_emb_scn_us301_china_2018_2020_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_us_ieepa_2025, wiot_emb_scn_us_ieepa_2025_end
wiot_emb_scn_us_ieepa_2025:
    .incbin "data/scenarios/wiod2013/us_ieepa_2025.csv"
wiot_emb_scn_us_ieepa_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn_us_content_2025, wiot_emb_scn_us_content_2025_end
wiot_emb_scn_us_content_2025:
    .incbin "data/scenarios/wiod2013/us_content_2025.csv"
wiot_emb_scn_us_content_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_sectors_wiod2016, wiot_emb_sectors_wiod2016_end
wiot_emb_sectors_wiod2016:
    .incbin "data/wiod2016/sectors.csv"
wiot_emb_sectors_wiod2016_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_china_countermeasures_2025, wiot_emb_scn16_china_countermeasures_2025_end
wiot_emb_scn16_china_countermeasures_2025:
    .incbin "data/scenarios/wiod2016/china_countermeasures_2025.csv"
wiot_emb_scn16_china_countermeasures_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_china_retaliation_2018_2020, wiot_emb_scn16_china_retaliation_2018_2020_end
wiot_emb_scn16_china_retaliation_2018_2020:
    .incbin "data/scenarios/wiod2016/china_retaliation_2018_2020.csv"
wiot_emb_scn16_china_retaliation_2018_2020_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_piie_average_uniform, wiot_emb_scn16_piie_average_uniform_end
wiot_emb_scn16_piie_average_uniform:
    .incbin "data/scenarios/wiod2016/piie_average_uniform.csv"
wiot_emb_scn16_piie_average_uniform_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_us232_autos_2025, wiot_emb_scn16_us232_autos_2025_end
wiot_emb_scn16_us232_autos_2025:
    .incbin "data/scenarios/wiod2016/us232_autos_2025.csv"
wiot_emb_scn16_us232_autos_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_us232_steel_aluminum, wiot_emb_scn16_us232_steel_aluminum_end
wiot_emb_scn16_us232_steel_aluminum:
    .incbin "data/scenarios/wiod2016/us232_steel_aluminum.csv"
wiot_emb_scn16_us232_steel_aluminum_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_us301_china_2018_2020, wiot_emb_scn16_us301_china_2018_2020_end
wiot_emb_scn16_us301_china_2018_2020:
    .incbin "data/scenarios/wiod2016/us301_china_2018_2020.csv"
wiot_emb_scn16_us301_china_2018_2020_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_us_ieepa_2025, wiot_emb_scn16_us_ieepa_2025_end
wiot_emb_scn16_us_ieepa_2025:
    .incbin "data/scenarios/wiod2016/us_ieepa_2025.csv"
wiot_emb_scn16_us_ieepa_2025_end:
    .byte 0
    .balign 16
    .globl wiot_emb_scn16_us_content_2025, wiot_emb_scn16_us_content_2025_end
wiot_emb_scn16_us_content_2025:
    .incbin "data/scenarios/wiod2016/us_content_2025.csv"
wiot_emb_scn16_us_content_2025_end:
    .byte 0
    .balign 16
    .section .note.GNU-stack,"",@progbits
