/* map_data.S -- the world map's country outlines (data/maps/world_110m.txt, made by
 * data/maps/convert.mjs from Natural Earth via the npm package world-atlas),
 * embedded in the CLI for the report's choropleth (kernel/report/map.c). */
    .section .rodata
    .balign 16
    .globl wiot_report_map, wiot_report_map_end
wiot_report_map:
    .incbin "data/maps/world_110m.txt"
wiot_report_map_end:
    .byte 0
    .section .note.GNU-stack,"",@progbits
