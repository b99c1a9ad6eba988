package gov.yuancheng.supervision.task.ledger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.PrintSetup;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/** Writes the ledger as a spreadsheet (streaming, so a large ledger does not fill the memory) or as CSV. */
final class LedgerExport {

    private LedgerExport() {
    }

    static void xlsx(Iterator<LedgerRow> rows, OutputStream out) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200)) {
            SXSSFSheet sheet = workbook.createSheet("督办台账");
            sheet.trackAllColumnsForAutoSizing();
            Font bold = workbook.createFont();
            bold.setBold(true);
            CellStyle header = workbook.createCellStyle();
            header.setFont(bold);
            Row first = sheet.createRow(0);
            for (int i = 0; i < LedgerRow.HEADERS.size(); i++) {
                first.createCell(i).setCellValue(LedgerRow.HEADERS.get(i));
                first.getCell(i).setCellStyle(header);
            }
            sheet.createFreezePane(0, 1);
            int index = 1;
            while (rows.hasNext()) {
                Row row = sheet.createRow(index++);
                var cells = rows.next().cells();
                for (int i = 0; i < cells.size(); i++) {
                    row.createCell(i).setCellValue(cells.get(i));
                }
            }
            for (int i = 0; i < LedgerRow.HEADERS.size(); i++) {
                sheet.autoSizeColumn(i);
            }
            int last = LedgerRow.HEADERS.size() - 1;
            sheet.setAutoFilter(new CellRangeAddress(0, Math.max(0, index - 1), 0, last));
            // Printed as offices file it: A4 landscape, all columns on one page's width, the header on every page.
            sheet.getPrintSetup().setPaperSize(PrintSetup.A4_PAPERSIZE);
            sheet.getPrintSetup().setLandscape(true);
            sheet.setFitToPage(true);
            sheet.getPrintSetup().setFitWidth((short) 1);
            sheet.getPrintSetup().setFitHeight((short) 0);
            sheet.setRepeatingRows(CellRangeAddress.valueOf("1:1"));
            workbook.write(out);
        }
    }

    /** UTF-8 with a byte-order mark, which spreadsheet programs need to read Chinese CSV correctly. */
    static void csv(Iterator<LedgerRow> rows, OutputStream out) throws IOException {
        out.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
        var writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (CSVPrinter printer = new CSVPrinter(writer, CSVFormat.EXCEL.builder()
                .setHeader(LedgerRow.HEADERS.toArray(String[]::new)).get())) {
            while (rows.hasNext()) {
                printer.printRecord(rows.next().cells());
            }
        }
    }
}
