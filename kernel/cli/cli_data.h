/* generated with cli_data.S */
extern const char wiot_emb_table_wiod2013_2011[], wiot_emb_table_wiod2013_2011_end[];
extern const char wiot_emb_sectors_wiod2013[], wiot_emb_sectors_wiod2013_end[];
extern const char wiot_emb_countries_wiod2013[], wiot_emb_countries_wiod2013_end[];
extern const char wiot_emb_scn_china_countermeasures_2025[], wiot_emb_scn_china_countermeasures_2025_end[];
extern const char wiot_emb_scn_china_retaliation_2018_2020[], wiot_emb_scn_china_retaliation_2018_2020_end[];
extern const char wiot_emb_scn_piie_average_uniform[], wiot_emb_scn_piie_average_uniform_end[];
extern const char wiot_emb_scn_us232_autos_2025[], wiot_emb_scn_us232_autos_2025_end[];
extern const char wiot_emb_scn_us232_steel_aluminum[], wiot_emb_scn_us232_steel_aluminum_end[];
extern const char wiot_emb_scn_us301_china_2018_2020[], wiot_emb_scn_us301_china_2018_2020_end[];
extern const char wiot_emb_scn_us_ieepa_2025[], wiot_emb_scn_us_ieepa_2025_end[];
extern const char wiot_emb_scn_us_content_2025[], wiot_emb_scn_us_content_2025_end[];
static const struct emb_file { const char *name; const char *start, *end; } emb_scenarios[] = {
    {"china_countermeasures_2025.csv", wiot_emb_scn_china_countermeasures_2025, wiot_emb_scn_china_countermeasures_2025_end},
    {"china_retaliation_2018_2020.csv", wiot_emb_scn_china_retaliation_2018_2020, wiot_emb_scn_china_retaliation_2018_2020_end},
    {"piie_average_uniform.csv", wiot_emb_scn_piie_average_uniform, wiot_emb_scn_piie_average_uniform_end},
    {"us232_autos_2025.csv", wiot_emb_scn_us232_autos_2025, wiot_emb_scn_us232_autos_2025_end},
    {"us232_steel_aluminum.csv", wiot_emb_scn_us232_steel_aluminum, wiot_emb_scn_us232_steel_aluminum_end},
    {"us301_china_2018_2020.csv", wiot_emb_scn_us301_china_2018_2020, wiot_emb_scn_us301_china_2018_2020_end},
    {"us_ieepa_2025.csv", wiot_emb_scn_us_ieepa_2025, wiot_emb_scn_us_ieepa_2025_end},
    {"us_content_2025.csv", wiot_emb_scn_us_content_2025, wiot_emb_scn_us_content_2025_end},
};
extern const char wiot_emb_sectors_wiod2016[], wiot_emb_sectors_wiod2016_end[];
extern const char wiot_emb_scn16_china_countermeasures_2025[], wiot_emb_scn16_china_countermeasures_2025_end[];
extern const char wiot_emb_scn16_china_retaliation_2018_2020[], wiot_emb_scn16_china_retaliation_2018_2020_end[];
extern const char wiot_emb_scn16_piie_average_uniform[], wiot_emb_scn16_piie_average_uniform_end[];
extern const char wiot_emb_scn16_us232_autos_2025[], wiot_emb_scn16_us232_autos_2025_end[];
extern const char wiot_emb_scn16_us232_steel_aluminum[], wiot_emb_scn16_us232_steel_aluminum_end[];
extern const char wiot_emb_scn16_us301_china_2018_2020[], wiot_emb_scn16_us301_china_2018_2020_end[];
extern const char wiot_emb_scn16_us_ieepa_2025[], wiot_emb_scn16_us_ieepa_2025_end[];
extern const char wiot_emb_scn16_us_content_2025[], wiot_emb_scn16_us_content_2025_end[];
/* the same scenarios in WIOD 2016 codes (data/scenarios/wiod2016) */
static const struct emb_file emb_scenarios_2016[] = {
    {"china_countermeasures_2025.csv", wiot_emb_scn16_china_countermeasures_2025, wiot_emb_scn16_china_countermeasures_2025_end},
    {"china_retaliation_2018_2020.csv", wiot_emb_scn16_china_retaliation_2018_2020, wiot_emb_scn16_china_retaliation_2018_2020_end},
    {"piie_average_uniform.csv", wiot_emb_scn16_piie_average_uniform, wiot_emb_scn16_piie_average_uniform_end},
    {"us232_autos_2025.csv", wiot_emb_scn16_us232_autos_2025, wiot_emb_scn16_us232_autos_2025_end},
    {"us232_steel_aluminum.csv", wiot_emb_scn16_us232_steel_aluminum, wiot_emb_scn16_us232_steel_aluminum_end},
    {"us301_china_2018_2020.csv", wiot_emb_scn16_us301_china_2018_2020, wiot_emb_scn16_us301_china_2018_2020_end},
    {"us_ieepa_2025.csv", wiot_emb_scn16_us_ieepa_2025, wiot_emb_scn16_us_ieepa_2025_end},
    {"us_content_2025.csv", wiot_emb_scn16_us_content_2025, wiot_emb_scn16_us_content_2025_end},
};
